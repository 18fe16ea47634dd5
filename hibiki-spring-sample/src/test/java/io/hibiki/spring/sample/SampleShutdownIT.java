package io.hibiki.spring.sample;

import static io.hibiki.testsupport.JsClients.emitWithAck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hibiki.testsupport.JsClients;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stopping the application with clients connected: an acknowledgement owed when the shutdown starts still reaches
 * its client, then every client gets a clean disconnect, and the disconnect handlers run.
 */
class SampleShutdownIT {

    private static final Set<String> CLEAN = Set.of("io server disconnect", "transport close");

    @ParameterizedTest
    @ValueSource(strings = {"reactive", "servlet"})
    void shutdownLetsOwedAcksFinishThenDisconnectsCleanly(String webApplicationType) throws Exception {
        SampleApp app = SampleApp.start("--spring.main.web-application-type=" + webApplicationType);
        try (JsClients slow = JsClients.start(app.port, "websocket", 1, List.of(emitWithAck("slow", "slow")),
                "--nsp=/test");
             JsClients idle = JsClients.start(app.port, "polling,websocket", 1, List.of())) {
            String slowId = slow.awaitConnect(0);
            idle.awaitConnect(0);
            TestHandlers handlers = app.bean(TestHandlers.class);
            assertTrue(handlers.slowStarted.await(20, TimeUnit.SECONDS), slow.diagnostics());
            CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);

            assertEquals("[\"done\"]", slow.awaitAck(0, "slow").get("args").toString(), slow.diagnostics());
            assertTrue(CLEAN.contains(slow.awaitDisconnect(0)), slow.diagnostics());
            assertTrue(CLEAN.contains(idle.awaitDisconnect(0)), idle.diagnostics());
            closed.get(30, TimeUnit.SECONDS);
            assertTrue(handlers.lifecycle.contains("connect " + slowId), handlers.lifecycle.toString());
            assertTrue(handlers.lifecycle.contains("disconnect " + slowId + " server shutting down"),
                    handlers.lifecycle.toString());
        } finally {
            app.close();
        }
    }
}
