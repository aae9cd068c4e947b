package io.bookhook.ledger.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bookhook.runtime.Exchanges;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The admin page: three files from the jar, plain HTML, JS and CSS with no build step. Nothing else is served. */
final class StaticFiles implements HttpHandler {

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/admin.js", "admin.js",
            "/admin.css", "admin.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, byte[]> contents;

    StaticFiles() {
        this.contents = Map.of("index.html", load("index.html"), "admin.js", load("admin.js"), "admin.css", load("admin.css"));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String file = FILES.get(exchange.getRequestURI().getPath());
        if (file == null || !(exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD"))) {
            Exchanges.error(exchange, 404, "not found");
            return;
        }
        Exchanges.send(exchange, 200, TYPES.get(file.substring(file.lastIndexOf('.') + 1)), contents.get(file));
    }

    private static byte[] load(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("admin page file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
