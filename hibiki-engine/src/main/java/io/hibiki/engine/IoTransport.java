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
     * call each, which pays off when many connections each send and receive a little (request/acknowledgement
     * traffic) and costs more per recipient on large room broadcasts. {@code listen} fails if the kernel or the
     * native library does not support it (some container runtimes forbid io_uring).
     */
    IO_URING,
    /** Java NIO: portable, the most CPU per operation. */
    NIO
}
