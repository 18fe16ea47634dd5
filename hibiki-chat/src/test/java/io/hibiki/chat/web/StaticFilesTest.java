package io.hibiki.chat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web UI's files: module scripts in a folder, their types, and nothing outside the root. */
class StaticFilesTest {

    private final StaticFiles web = new StaticFiles("web");

    @Test
    void servesTheIndexAndModulesInAFolder() {
        String index = new String(web.get("/").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(index.contains("<script type=\"module\" src=\"/js/main.js\">"), index);
        String main = new String(web.get("/js/main.js").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(main.contains("import"), main);
        assertEquals("text/javascript; charset=utf-8", StaticFiles.contentType("/js/main.js"));
        assertEquals("text/html; charset=utf-8", StaticFiles.contentType("/"));
        assertEquals("text/css; charset=utf-8", StaticFiles.contentType("/style.css"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../logback.xml", "/js/../../logback.xml", "/js/./main.js", "//js/main.js",
        "/js/main.js/", "/js", "/.hidden.js", "/js/main.JS", "/js%2fmain.js", "/js\\main.js"})
    void refusesPathsThatAreNotPlainFileNames(String path) {
        assertTrue(web.get(path).isEmpty(), path);
    }

    @Test
    void doesNotRememberMisses() {
        for (int i = 0; i < 100; i++) {
            assertTrue(web.get("/js/missing" + i + ".js").isEmpty());
        }
        web.get("/style.css").orElseThrow();
        assertEquals(1, web.cachedFiles());
    }
}
