package io.slmgen.postgrest;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.slmgen.shared.identity.Caller;
import io.slmgen.shared.identity.CurrentCaller;
import io.smallrye.mutiny.Uni;

/**
 * The PostgREST subset at {@code /rest/v1/{table}} (SPEC §10) that postgrest-js speaks, for the tables
 * this service lists in {@code slmgen.postgrest.tables}. Discovered in every service that depends on
 * shared-postgrest; errors leave in PostgREST's shape through shared-api's mappers.
 */
@Path("/rest/v1/{table}")
public class PostgrestResource {

    static final String JSON = "application/json; charset=utf-8";
    static final String OBJECT = "application/vnd.pgrst.object+json; charset=utf-8";

    @Inject
    PostgrestService service;

    @Inject
    CurrentCaller current;

    @GET
    public Uni<Response> select(@PathParam("table") String table, @Context UriInfo uri, @Context HttpHeaders headers) {
        Caller caller = current.get();
        PgRequest req = request(uri, headers, "Accept-Profile");
        return service.read(caller, table, req, false).map(r -> respond(r, true));
    }

    @HEAD
    public Uni<Response> head(@PathParam("table") String table, @Context UriInfo uri, @Context HttpHeaders headers) {
        Caller caller = current.get();
        PgRequest req = request(uri, headers, "Accept-Profile");
        return service.read(caller, table, req, true).map(r -> respond(r, false));
    }

    @POST
    public Uni<Response> insert(@PathParam("table") String table, @Context UriInfo uri, @Context HttpHeaders headers,
                                String body) {
        requireJson(headers);
        Caller caller = current.get();
        PgRequest req = request(uri, headers, "Content-Profile");
        return service.insert(caller, table, req, body).map(r -> respond(r, true));
    }

    @PATCH
    public Uni<Response> update(@PathParam("table") String table, @Context UriInfo uri, @Context HttpHeaders headers,
                                String body) {
        requireJson(headers);
        Caller caller = current.get();
        PgRequest req = request(uri, headers, "Content-Profile");
        return service.update(caller, table, req, body).map(r -> respond(r, true));
    }

    @DELETE
    public Uni<Response> delete(@PathParam("table") String table, @Context UriInfo uri, @Context HttpHeaders headers) {
        Caller caller = current.get();
        PgRequest req = request(uri, headers, "Content-Profile");
        return service.delete(caller, table, req).map(r -> respond(r, true));
    }

    /**
     * Bodies are JSON (what postgrest-js sends). Anything else gets what PostgREST answers for a body
     * it does not parse: 400, PGRST102, "Content-Type not acceptable: <type>" (its error table also
     * lists PGRST107 with 415, but that code is its failed Accept negotiation, 406).
     */
    private static void requireJson(HttpHeaders headers) {
        String type = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        String base = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (!base.equals("application/json") && !base.endsWith("+json")) {
            throw PostgrestError.UNACCEPTABLE_CONTENT_TYPE.exception(
                    "Content-Type not acceptable: " + base.replaceAll("[^a-z0-9/+.-]", "?"));
        }
    }

    private static PgRequest request(UriInfo uri, HttpHeaders headers, String profileHeader) {
        return PgRequest.parse(uri.getQueryParameters(true), headers.getRequestHeader("Prefer"),
                headers.getHeaderString(HttpHeaders.ACCEPT), headers.getHeaderString("Range"),
                headers.getHeaderString(profileHeader));
    }

    private static Response respond(PgResult r, boolean withBody) {
        Response.ResponseBuilder b = Response.status(r.status());
        if (r.contentRange() != null) {
            b.header("Content-Range", r.contentRange());
        }
        if (!withBody) {
            b.type(r.single() ? OBJECT : JSON);
        } else if (r.body() != null && r.status() != 204) {
            b.type(r.single() ? OBJECT : JSON).entity(r.body());
        }
        return b.build();
    }
}
