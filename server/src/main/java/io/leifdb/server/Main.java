package io.leifdb.server;

public final class Main {
    public static void main(String[] args) {
        System.out.println("leifdb");
    }
}
