package io.slmgen.storage.service;

import java.io.IOException;
import java.io.InputStream;

/** Helpers for request bodies that may be abandoned early. */
final class Bodies {

    private Bodies() {
    }

    /** Reads and discards the rest of a request body so the client gets to read our error answer. */
    static void drain(InputStream in) {
        if (in == null) {
            return;
        }
        byte[] scratch = new byte[64 * 1024];
        try {
            while (in.read(scratch) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // the client went away: nothing left to drain
        }
    }
}
