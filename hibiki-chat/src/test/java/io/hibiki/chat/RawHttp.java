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

    /** Everything until the server closes the connection (or {@code limit} passes), as ISO-8859-1 text. */
    String readAll(java.time.Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                break;
            } catch (java.net.SocketException e) {
                break; // reset by the server: what came before is the answer
            }
            if (n < 0) {
                break;
            }
            all.write(buf, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
