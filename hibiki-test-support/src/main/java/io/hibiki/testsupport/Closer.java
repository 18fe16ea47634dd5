package io.hibiki.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (servers, scripts, clients), closed in reverse order by {@link #close()}; one failing close
 * does not keep the others open.
 */
public final class Closer implements AutoCloseable {

    private final List<AutoCloseable> open = new ArrayList<>();

    /**
     * Remembers a resource to close.
     *
     * @param resource what to close later
     * @param <T>      its type
     * @return the resource
     */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public synchronized void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort: the next one still closes
            }
        }
        open.clear();
    }
}
