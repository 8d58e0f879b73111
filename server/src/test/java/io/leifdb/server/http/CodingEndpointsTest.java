package io.leifdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** GET /cluster/coding reports the code the voters in force allow: k at most N - F, and m = N - k never negative. */
class CodingEndpointsTest extends ApiTestBase {

    private JsonNode coding(int voters, int k) {
        backend.codingNow = new CodingAdmin.Coding(true, k, 4096, true, voters, 1, 1, 0);
        return ApiClient.json(client.get("/cluster/coding"));
    }

    @Test
    void aKChosenForMoreVotersIsReportedAsTheCodeTheVotersAllow() {
        JsonNode one = coding(1, 2);
        assertThat(one.path("k").asInt()).isEqualTo(1);
        assertThat(one.path("m").asInt()).isZero();
        assertThat(one.path("configuredK").asInt()).isEqualTo(2);
        JsonNode two = coding(2, 2);
        assertThat(two.path("k").asInt()).as("N - F of 2 is 2").isEqualTo(2);
        assertThat(two.path("m").asInt()).isZero();
        JsonNode three = coding(3, 3);
        assertThat(three.path("k").asInt()).isEqualTo(2);
        assertThat(three.path("m").asInt()).isEqualTo(1);
        assertThat(three.path("configuredK").asInt()).isEqualTo(3);
        JsonNode none = coding(0, 2);
        assertThat(none.path("k").asInt()).as("no voters known yet").isEqualTo(1);
        assertThat(none.path("m").asInt()).isZero();
    }

    @Test
    void aKTheVotersAllowIsReportedAsChosen() {
        JsonNode five = coding(5, 3);
        assertThat(five.path("k").asInt()).isEqualTo(3);
        assertThat(five.path("m").asInt()).isEqualTo(2);
        assertThat(five.path("configuredK").asInt()).isEqualTo(3);
    }

    @Test
    void turningCodingOffKeepsTheChosenK() {
        coding(1, 2);
        JsonNode off = ApiClient.json(client.put("/cluster/coding", "{\"on\": false}"));
        assertThat(off.path("on").asBoolean()).isFalse();
        assertThat(off.path("configuredK").asInt()).as("the k chosen for more voters stays recorded").isEqualTo(2);
        assertThat(off.path("m").asInt()).isZero();
    }
}
