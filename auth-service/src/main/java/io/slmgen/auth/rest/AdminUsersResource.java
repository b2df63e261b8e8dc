package io.slmgen.auth.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestResponse;

import io.slmgen.auth.model.GoTrueUser;
import io.slmgen.auth.model.UserList;
import io.slmgen.auth.service.AdminService;
import io.slmgen.shared.api.Ids;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/** GoTrue's admin users API (service_role key only). */
@Path("/auth/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

    @Inject
    AdminService admin;
    @Inject
    CurrentCaller caller;

    @GET
    public Uni<RestResponse<UserList>> list(@QueryParam("page") Integer page, @QueryParam("per_page") Integer perPage) {
        return admin.list(caller.get(), page, perPage).map(p -> {
            UserList body = new UserList(p.users(), "authenticated");
            long last = Math.max(1, (p.total() + p.perPage() - 1) / p.perPage());
            String link = "</admin/users?page=" + last + "&per_page=" + p.perPage() + ">; rel=\"last\"";
            if (p.page() < last) {
                link = "</admin/users?page=" + (p.page() + 1) + "&per_page=" + p.perPage() + ">; rel=\"next\", " + link;
            }
            return RestResponse.ResponseBuilder.ok(body).header("X-Total-Count", p.total()).header("Link", link).build();
        });
    }

    @POST
    public Uni<GoTrueUser> create(AuthRequests.AdminUser body) {
        return admin.create(caller.get(), body);
    }

    @GET
    @Path("{id}")
    public Uni<GoTrueUser> get(@PathParam("id") String id) {
        return admin.get(caller.get(), Ids.uuid(id, "id"));
    }

    @PUT
    @Path("{id}")
    public Uni<GoTrueUser> update(@PathParam("id") String id, AuthRequests.AdminUser body) {
        return admin.update(caller.get(), Ids.uuid(id, "id"), body);
    }

    @DELETE
    @Path("{id}")
    public Uni<Map<String, Object>> delete(@PathParam("id") String id, Map<String, Object> body) {
        boolean soft = body != null && Boolean.TRUE.equals(body.get("should_soft_delete"));
        return admin.delete(caller.get(), Ids.uuid(id, "id"), soft);
    }
}
