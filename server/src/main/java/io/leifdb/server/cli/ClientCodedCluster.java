package io.leifdb.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leifdb.client.LeifClient;
import io.leifdb.client.LeifException;
import io.leifdb.server.http.CodedChangeSteps;
import java.io.PrintWriter;

/**
 * {@link CodedChangeSteps} over the Java client, for {@code --coding-off-first}: every step is an ordinary
 * API call that follows the leader wherever it moves, and every line is printed as it happens.
 */
final class ClientCodedCluster implements CodedChangeSteps.Cluster {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LeifClient client;
    private final PrintWriter out;

    ClientCodedCluster(LeifClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    @Override
    public boolean codingOn() {
        return client.admin().coding().path("on").asBoolean();
    }

    @Override
    public void setCodingOn(boolean on) {
        client.admin().setCoding(MAPPER.createObjectNode().put("on", on));
    }

    @Override
    public int storedK() {
        return client.admin().coding().path("storedK").asInt(1);
    }

    @Override
    public String belowFullRedundancy() {
        JsonNode c = client.admin().coding();
        return c.has("belowFullRedundancy") ? c.path("belowFullRedundancy").asText() : "?";
    }

    @Override
    public boolean refusedAsCoded(RuntimeException e) {
        return e instanceof LeifException l && "coded".equals(l.code());
    }

    @Override
    public RuntimeException failure(String code, String message) {
        return new LeifException(0, code, message + (code.equals("timeout") ? ", see leifdb coding get" : ""));
    }

    @Override
    public void report(String line) {
        out.println(line);
        out.flush();
    }
}
