package io.leifdb.server.kv.archfixture;

import io.leifdb.server.http.HttpApi;

/** Breaks the house rule that kv never imports http: HouseRulesTest must catch it. */
public final class KvReachingIntoHttp {
    HttpApi api;
}
