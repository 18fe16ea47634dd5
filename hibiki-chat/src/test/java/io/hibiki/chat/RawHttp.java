package io.hibiki.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand over one loopback connection, for exchanges HTTP clients hide (interim responses). */
final class RawHttp implements AutoCloseable {

    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The next line, without its CRLF. */
    String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** The status line of the next response. */
    String statusLine() throws IOException {
        return line();
    }

    /** Reads up to and including the empty line that ends a header block. */
    void skipHeaders() throws IOException {
        while (!line().isEmpty()) {
            // header
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
