package io.bookhook.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/** A receiver that answers by idempotency key (a status per key, 200 otherwise) and remembers every POST. */
final class ScriptedReceiver implements AutoCloseable {

    record Post(String idempotencyKey, String deliveryId, String attempt) {
    }

    private final HttpServer server;
    private final Map<String, Integer> statusByKey = new ConcurrentHashMap<>();
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    ScriptedReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("X-Idempotency-Key");
            posts.add(new Post(key, exchange.getRequestHeaders().getFirst("X-Delivery-Id"),
                    exchange.getRequestHeaders().getFirst("X-Delivery-Attempt")));
            exchange.sendResponseHeaders(statusByKey.getOrDefault(key, 200), -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    void answer(String idempotencyKey, int status) {
        statusByKey.put(idempotencyKey, status);
    }

    void recover() {
        statusByKey.clear();
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The idempotency keys posted so far, each once. */
    Set<String> keys() {
        return posts.stream().map(Post::idempotencyKey).collect(Collectors.toSet());
    }

    long postsFor(String idempotencyKey) {
        return posts.stream().filter(p -> p.idempotencyKey().equals(idempotencyKey)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
