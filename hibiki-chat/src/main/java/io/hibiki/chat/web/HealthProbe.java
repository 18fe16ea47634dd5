package io.hibiki.chat.web;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What {@code GET /api/health} answers; never blocks the caller (the checks may wait on the database). */
public interface HealthProbe {

    /** The findings as JSON, {@code "status"} being {@code "up"} (answered 200) or {@code "down"} (503). */
    CompletableFuture<Map<String, Object>> check();
}
