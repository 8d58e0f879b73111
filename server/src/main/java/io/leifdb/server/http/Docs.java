package io.leifdb.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The OpenAPI document at GET / and the Swagger UI at /swagger/. Both come from the classpath, never the
 * working directory (the original's bug 15: its Docker image answered / with 404).
 */
final class Docs {
    static final String OPENAPI_RESOURCE = "openapi.json";
    static final String SWAGGER_INDEX = "swagger/index.html";
    private static final String SWAGGER_WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final io.helidon.http.Header HTML = HeaderValues.createCached("Content-Type", "text/html; charset=utf-8");

    private final byte[] openapi;
    private final byte[] swaggerIndex;

    Docs(String version) {
        ObjectNode doc;
        try (InputStream in = resource(OPENAPI_RESOURCE)) {
            doc = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
        }
        // The document states the version of the server that serves it.
        ((ObjectNode) doc.get("info")).put("version", version);
        try {
            openapi = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = resource(SWAGGER_INDEX)) {
            swaggerIndex = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SWAGGER_INDEX, e);
        }
    }

    void openapi(ServerRequest req, ServerResponse res, QueryParams q) {
        Json.send(res, Status.OK_200, openapi);
    }

    /** Registers /swagger (redirect), our index page, and the webjar's scripts and styles. */
    void registerSwagger(HttpRules rules) {
        rules.get("/swagger", (req, res) -> redirect(res, "/swagger/"));
        rules.get("/swagger/", this::swaggerIndex);
        rules.get("/swagger/index.html", this::swaggerIndex);
        rules.register("/swagger", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(SWAGGER_WEBJAR + webjarVersion("org.webjars", "swagger-ui"))
                .build()));
    }

    /** Registers /ui (redirect), the charting library the metrics page uses, and the web UI's files from "ui". */
    static void registerUi(HttpRules rules) {
        rules.get("/ui", (req, res) -> redirect(res, "/ui/"));
        // Served by the node itself, so the page charts without reaching any other host.
        rules.register("/ui/vendor/uplot", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(UPLOT_WEBJAR + webjarVersion("org.webjars.npm", "uplot") + "/dist")
                .build()));
        rules.register("/ui", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("ui")
                .welcome("index.html")
                .build()));
    }

    private void swaggerIndex(ServerRequest req, ServerResponse res) {
        res.header(HTML);
        res.send(swaggerIndex);
    }

    private static void redirect(ServerResponse res, String to) {
        res.status(Status.MOVED_PERMANENTLY_301);
        res.header(HeaderNames.LOCATION, to);
        res.send();
    }

    /** A webjar's own version, so a dependency upgrade needs no code change. */
    static String webjarVersion(String group, String artifact) {
        Properties p = new Properties();
        try (InputStream in = resource("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + artifact + " webjar's version", e);
        }
        return p.getProperty("version");
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Docs.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is missing from the classpath");
        }
        return in;
    }
}
