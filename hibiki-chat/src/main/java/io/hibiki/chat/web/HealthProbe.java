package io.hibiki.chat.web;

import java.util.Map;

/** What {@code GET /api/health} answers; called on a worker thread (it may wait on the database). */
public interface HealthProbe {

    /** The findings as JSON, {@code "status"} being {@code "up"} (answered 200) or {@code "down"} (503). */
    Map<String, Object> check();
}
