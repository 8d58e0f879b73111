package io.leifdb.server.http;

import io.helidon.http.Status;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CodedChangeSteps} on the leader itself, for {@code ?codingOffFirst=true} on a member removal or
 * promotion: each step is the node's own coding call, and the lines go to the log and into the answer.
 * Should leadership move midway, a step fails with a 307 or 503 like any call here, and coding is
 * turned on again where that still works (else the answer says it is still off).
 */
final class LeaderCodedCluster implements CodedChangeSteps.Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderCodedCluster.class);

    private final KvBackend backend;
    private final Duration timeout;
    private final List<String> steps;

    /** {@code steps} receives every progress line; {@code timeout} bounds each coding change. */
    LeaderCodedCluster(KvBackend backend, Duration timeout, List<String> steps) {
        this.backend = backend;
        this.timeout = timeout;
        this.steps = steps;
    }

    @Override
    public boolean codingOn() {
        return backend.coding().get().on();
    }

    @Override
    public void setCodingOn(boolean on) {
        CodingAdmin.Coding now = backend.coding().get();
        Outcomes.await(backend.coding().set(on, now.k(), now.threshold()), timeout);
    }

    @Override
    public int storedK() {
        return backend.coding().get().storedK();
    }

    @Override
    public String belowFullRedundancy() {
        return backend.coding().repair().map(r -> String.valueOf(r.belowFullRedundancy())).orElse("?");
    }

    @Override
    public boolean refusedAsCoded(RuntimeException e) {
        return e instanceof RequestRefused r && "coded".equals(r.code());
    }

    @Override
    public RuntimeException failure(String code, String message) {
        return switch (code) {
            case "timeout" -> new ApiError(Status.GATEWAY_TIMEOUT_504, "coded_wait_timeout", message
                    + "; see GET /cluster/coding, or wait longer with leifdb member ... --coding-off-first --wait SECONDS");
            case "coding_still_off" -> new ApiError(Status.SERVICE_UNAVAILABLE_503, "coding_still_off", message);
            default -> ApiError.unavailable(message);
        };
    }

    @Override
    public void report(String line) {
        String step = line.strip();
        steps.add(step);
        LOG.info("coding off first: {}", step);
    }
}
