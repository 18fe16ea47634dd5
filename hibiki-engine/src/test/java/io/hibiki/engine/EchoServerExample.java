package io.hibiki.engine;

/**
 * A plain Engine.IO echo server: every text or binary message goes back to its sender. The README shows this code.
 * Run it with {@code mvn -q -pl hibiki-engine test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.hibiki.engine.EchoServerExample}; an optional argument sets the port (default 3000).
 */
public final class EchoServerExample {

    private EchoServerExample() {
    }

    public static void main(String[] args) {
        EngineServer server = new EngineServer(EngineOptions.builder().path("/engine.io").build());
        server.onConnection(socket -> {
            socket.onMessage(socket::send);
            socket.onBinary(socket::send);
        });
        int port = server.listen(args.length > 0 ? Integer.parseInt(args[0]) : 3000);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Engine.IO echo server on http://localhost:" + port + "/engine.io/");
    }
}
