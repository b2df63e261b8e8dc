package io.slmgen.auth.model;

import java.util.List;

/** GET /admin/users' body (GoTrue's): one page of users; the counts travel in headers. */
public record UserList(List<GoTrueUser> users, String aud) {
}
