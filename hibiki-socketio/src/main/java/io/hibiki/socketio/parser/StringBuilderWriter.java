package io.hibiki.socketio.parser;

import java.io.Writer;

/**
 * A {@link Writer} appending to a caller-owned {@link StringBuilder}, so the JSON lands right after
 * the packet header without an intermediate string (and without {@code StringWriter}'s locking).
 */
final class StringBuilderWriter extends Writer {
    private final StringBuilder target;

    StringBuilderWriter(StringBuilder target) {
        this.target = target;
    }

    @Override
    public void write(int c) {
        target.append((char) c);
    }

    @Override
    public void write(char[] buf, int off, int len) {
        target.append(buf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
        target.append(str, off, off + len);
    }

    @Override
    public Writer append(CharSequence csq) {
        target.append(csq);
        return this;
    }

    @Override
    public Writer append(CharSequence csq, int start, int end) {
        target.append(csq, start, end);
        return this;
    }

    @Override
    public Writer append(char c) {
        target.append(c);
        return this;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
