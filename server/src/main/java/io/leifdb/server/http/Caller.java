package io.leifdb.server.http;

import io.leifdb.server.auth.User;

/** Who made a request, once {@link AuthGate} authenticated it; registered in the request's context. */
record Caller(User user) {
}
