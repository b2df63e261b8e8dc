package io.slmgen.shared.identity;

import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served; set once by {@link CallerFilter}. */
@RequestScoped
public class CurrentCaller {

    private Caller caller = Caller.nobody();

    public Caller get() {
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
