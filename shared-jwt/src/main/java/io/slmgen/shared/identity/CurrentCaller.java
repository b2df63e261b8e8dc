package io.slmgen.shared.identity;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller of the request being served: the {@link Caller} its {@link SecurityIdentity} carries
 * ({@link CallerIdentityProvider#CALLER_ATTRIBUTE}), kept here once {@link CallerFilter} has authenticated
 * the request so services read it without waiting on the identity. Anon until then (and on paths that
 * are not authenticated: {@code /q/*}, OPTIONS).
 */
@RequestScoped
public class CurrentCaller {

    private Caller caller = Caller.nobody();

    public Caller get() {
        return caller;
    }

    void set(SecurityIdentity identity) {
        this.caller = CallerIdentityProvider.callerOf(identity);
    }
}
