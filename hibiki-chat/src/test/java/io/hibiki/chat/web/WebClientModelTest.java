package io.hibiki.chat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hibiki.testsupport.NodeScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The web client's delivery logic without a browser or a server (Node runs the same ES modules the page loads):
 * the ordered outbox, snapshot membership, merging by id, seq gaps, paged catch-up and rooms added live.
 */
class WebClientModelTest {

    @Test
    void deliveryLogicKeepsTheProtocol() {
        try (NodeScript model = NodeScript.start("chat-client-model.mjs")) {
            for (String check : List.of("outbox-order", "outbox-offline", "snapshot", "merge-once", "seq-gap",
                    "catch-up-pages", "room-added")) {
                model.await(e -> e.path("event").asText().equals("check") && e.path("name").asText().equals(check),
                        Duration.ofSeconds(15));
            }
            model.await("done", Duration.ofSeconds(15));
            assertEquals(0, model.awaitExit(Duration.ofSeconds(5)), model.diagnostics());
        }
    }
}
