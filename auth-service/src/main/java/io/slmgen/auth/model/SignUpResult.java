package io.slmgen.auth.model;

/** What POST /signup answers: a session (confirmations off, or anonymous) or the user awaiting confirmation. */
public sealed interface SignUpResult permits GoTrueSession, GoTrueUser {
}
