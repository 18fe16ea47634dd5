package io.hibiki.bench;

/**
 * Entry point: {@code compare} (every scenario, Hibiki vs Node), {@code server} (the Hibiki fixture alone),
 * {@code jmh} (the microbenchmarks, JMH's own flags), {@code soak} (the chat soak), {@code chat-throughput} (stored chat
 * messages per second), {@code hostile} (users chatting while attackers run), {@code cold-start} (a reconnect burst
 * against a fresh process), {@code tls-fanout} (room fan-out over plain WebSocket and wss://, both servers) or {@code report
 * --from=LOG} (the table and plot again from a saved compare output).
 * Flags: {@code --quick} (tiny sizes), {@code --runs=N}, {@code --warmup=S} (default 10), {@code --measure=S}
 * (default 5), {@code --only=REGEX}, {@code --idle-max=N}, {@code --idle-steady=S} (default 30),
 * {@code --out=DIR}, {@code --node-dir=DIR}, {@code --hibiki-io-threads=N}, {@code --hibiki-io-transport=IO_URING}
 * (or EPOLL, NIO), {@code --hibiki-jvm="FLAGS"} (JVM flags after the documented ones, for experiments),
 * {@code --hibiki-jvm-profile=defaults} (the JVM's own defaults instead of the chat distribution's settings),
 * {@code --hibiki-launcher=PATH} (start the server with the distribution's {@code bin/hibiki-chat}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] argv) throws Exception {
        String command = argv.length > 0 ? argv[0] : "compare";
        String[] rest = argv.length > 0 ? java.util.Arrays.copyOfRange(argv, 1, argv.length) : argv;
        switch (command) {
            case "compare" -> new Compare(new Args(rest)).run();
            case "server" -> BenchServer.main(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            case "soak" -> io.hibiki.bench.soak.ChatSoak.main(rest);
            case "chat-throughput" -> io.hibiki.bench.chat.ChatThroughput.main(rest);
            case "hostile" -> io.hibiki.bench.chat.HostileChat.main(rest);
            case "cold-start" -> io.hibiki.bench.startup.ColdStart.main(rest);
            case "sharded-subscriptions" -> io.hibiki.bench.cluster.ShardedSubscriptions.main(rest);
            case "tls-fanout" -> TlsFanOut.main(rest);
            case "report" -> {
                Args a = new Args(rest);
                Compare.reportFrom(java.nio.file.Path.of(a.get("from", "compare.log")),
                        java.nio.file.Path.of(a.get("out", "hibiki-bench/target/bench")));
            }
            default -> throw new IllegalArgumentException("usage: compare|server|jmh|soak|chat-throughput|hostile|cold-start|sharded-subscriptions|tls-fanout|report [flags]");
        }
        System.exit(0);
    }
}
