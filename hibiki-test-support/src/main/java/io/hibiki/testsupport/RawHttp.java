package io.hibiki.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket that sends exactly the bytes a test gives (a request cut short,
 * two at once) and reads responses one by one, with Content-Length or chunked bodies. Loopback only; every read
 * is bounded by a timeout.
 */
public final class RawHttp implements AutoCloseable {

    /** One response; header names are kept as sent, and looked up without regard to case. */
    public record Response(int status, List<Map.Entry<String, String>> headers, byte[] bytes) {

        /** The body as UTF-8 text. */
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Connects to 127.0.0.1:{@code port}; reads wait at most {@code timeout}. */
    public static RawHttp open(int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
        s.setSoTimeout((int) timeout.toMillis());
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /** Writes {@code raw} as UTF-8, as it is. */
    public RawHttp send(String raw) throws IOException {
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next response; fails if the connection ends first or nothing comes within the timeout. */
    public Response read() throws IOException {
        String head = readHead();
        if (head == null) {
            throw new IOException("connection closed before a response");
        }
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()));
        }
        Response partial = new Response(status, headers, new byte[0]);
        byte[] body;
        String length = partial.header("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(partial.header("transfer-encoding"))) {
            body = readChunked();
        } else {
            body = new byte[0];
        }
        return new Response(status, headers, body);
    }

    /** Whether the server closed the connection (rather than answering) within the timeout. */
    public boolean closedWithoutAnswer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset is a close too.
            return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                throw new IOException("response head over 64 KiB");
            }
        }
        String s = head.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
