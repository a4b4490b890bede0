package com.oneclick.notifier;

import io.micronaut.runtime.Micronaut;

/** The notifier service: emails the requester at each step of a request, once per request and step. */
public final class NotifierApplication {

    private NotifierApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(NotifierApplication.class)
                .banner(false)
                .start();
    }
}
