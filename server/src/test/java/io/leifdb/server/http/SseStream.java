package io.leifdb.server.http;


import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A server-sent event stream read on a thread of its own into a list that tests poll; closing it hangs up. */
final class SseStream implements AutoCloseable {
    record Event(String name, String id, JsonNode data) {
    }

    final int status;
    final List<Event> events = new CopyOnWriteArrayList<>();
    private final Stream<String> lines;
    private final Thread reader;

    SseStream(ApiClient client, String pathAndQuery) {
        HttpResponse<Stream<String>> r;
        try {
            r = HttpClient.newHttpClient().send(client.request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        status = r.statusCode();
        lines = r.body();
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        List<String> block = new ArrayList<>();
        try {
            lines.forEach(line -> {
                if (!line.isEmpty()) {
                    block.add(line);
                    return;
                }
                String name = null;
                String id = null;
                String data = null;
                for (String l : block) {
                    if (l.startsWith("event: ")) name = l.substring(7);
                    else if (l.startsWith("id: ")) id = l.substring(4);
                    else if (l.startsWith("data: ")) data = l.substring(6);
                }
                block.clear();
                if (name != null) {
                    try {
                        events.add(new Event(name, id, ApiClient.MAPPER.readTree(data)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException closed) {
            // hung up
        }
    }

    /** Waits (bounded) until {@code n} events named {@code name} arrived; returns them. */
    List<Event> await(String name, int n) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> named(name).size() >= n);
        return named(name);
    }

    List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
