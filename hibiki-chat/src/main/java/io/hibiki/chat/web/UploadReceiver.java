package io.hibiki.chat.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One upload's body, written to a temporary file as it arrives, never held in memory whole: each chunk is written
 * on a worker (disk writes never run on the event loop), in order, and the connection stops reading while more
 * than {@link #HIGH_WATER} bytes wait to be written, so a fast sender cannot outrun the disk into the heap.
 */
final class UploadReceiver {

    static final int HIGH_WATER = 1024 * 1024;
    private static final int LOW_WATER = 256 * 1024;

    private final Channel channel;
    private final Path file;
    private final FileChannel out;
    /** The chain of writes: each starts when the one before it ends. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private final Executor workers;
    private long queued;
    private long received;
    private boolean paused;
    /** Set on a worker when a write fails; read after the chain (which orders it). */
    private volatile IOException failure;

    UploadReceiver(Channel channel, Path dir, Executor workers) throws IOException {
        this.channel = channel;
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "upload-", ".part");
        this.out = FileChannel.open(file, StandardOpenOption.WRITE);
        this.workers = workers;
    }

    long received() {
        return received;
    }

    /** On the event loop: queues a chunk (the receiver takes its reference). */
    void add(ByteBuf chunk) {
        int n = chunk.readableBytes();
        received += n;
        queued += n;
        if (queued > HIGH_WATER && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
        tail = tail.thenRunAsync(() -> {
            try {
                if (failure == null) {
                    while (chunk.isReadable()) {
                        chunk.readBytes(out, chunk.readableBytes());
                    }
                }
            } catch (IOException e) {
                failure = e; // the rest is dropped; finish() reports it
            } finally {
                chunk.release();
                channel.eventLoop().execute(() -> written(n));
            }
        }, workers);
    }

    private void written(int n) {
        queued -= n;
        if (paused && queued < LOW_WATER) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    /** Completes with the file once every chunk is on disk; the caller owns (and deletes) it then. */
    CompletableFuture<Path> finish() {
        return tail.thenApplyAsync(v -> {
            close();
            if (failure != null) {
                throw new java.io.UncheckedIOException(failure);
            }
            return file;
        }, workers).whenComplete((p, e) -> {
            if (e != null) {
                discard();
            }
        });
    }

    /** Drops the body (the connection went, or the upload was refused). */
    void discard() {
        tail.whenCompleteAsync((v, e) -> {
            close();
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover in .incoming is swept with the orphans
            }
        }, workers);
        if (paused) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    private void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more will be written
        }
    }
}
