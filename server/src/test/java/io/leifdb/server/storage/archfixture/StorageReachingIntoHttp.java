package io.leifdb.server.storage.archfixture;

import io.leifdb.server.http.HttpApi;

/** Breaks the house rule that storage never imports http: HouseRulesTest must catch it. */
public final class StorageReachingIntoHttp {
    HttpApi api;
}
