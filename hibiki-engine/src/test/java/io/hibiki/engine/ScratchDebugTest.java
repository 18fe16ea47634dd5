package io.hibiki.engine;

import static io.hibiki.engine.EngineFixture.*;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScratchDebugTest {
    @Test
    void t() {
        try (EngineFixture f = new EngineFixture()) {
            EmbeddedChannel fuzzed = f.byteConnection();
            fuzzed.pipeline().addLast(new NotFoundHandler());
            fuzzed.writeInbound(Unpooled.copiedBuffer(new byte[0]));
            fuzzed.runPendingTasks();
            EmbeddedChannel healthy = f.connection();
            String sid = handshake(healthy);
            System.out.println("after handshake " + f.sockets + f.server.clientsCount());
            System.out.println(post(healthy, poll(sid), "4still there"));
            f.socket(sid).send("pong");
            System.out.println(get(healthy, poll(sid)));
            System.out.println("A " + f.server.clientsCount());
            f.socket(sid).close();
            System.out.println("B " + f.server.clientsCount());
            System.out.println(get(healthy, poll(sid)));
            System.out.println("after close " + f.sockets + " " + f.closes + " count " + f.server.clientsCount());
            for (int i = 0; i < 3; i++) advance(fuzzed, Duration.ofSeconds(46));
            System.out.println("C " + f.server.clientsCount());
            fuzzed.close();
            System.out.println("end " + f.sockets + " " + f.closes + " count " + f.server.clientsCount());
        }
    }
}
