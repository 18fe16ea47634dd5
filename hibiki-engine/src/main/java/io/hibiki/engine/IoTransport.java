package io.hibiki.engine;

/**
 * The kernel interface the event loops use for sockets. All serve the same protocol; they differ in cost per
 * operation (BENCHMARKS.md has the figures measured on one machine).
 */
public enum IoTransport {
    /** epoll where Netty's native library loads (Linux x86_64), NIO elsewhere. */
    AUTO,
    /** Linux epoll; {@code listen} fails if the native library does not load. */
    EPOLL,
    /**
     * Linux io_uring: reads and writes of one loop turn go to the kernel in one submission instead of a system
     * call each. The TCP work per message stays the same, so on loopback it measured within about 5 % of epoll
     * both for acknowledged requests and for room broadcasts (BENCHMARKS.md). {@code listen} fails if the kernel or the
     * native library does not support it (some container runtimes forbid io_uring). The native library is an
     * optional dependency of this module: add {@code io.netty:netty-transport-native-io_uring} (classifier
     * {@code linux-x86_64}) to use it.
     */
    IO_URING,
    /** Java NIO: portable, the most CPU per operation. */
    NIO
}
