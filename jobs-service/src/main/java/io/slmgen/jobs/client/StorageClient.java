package io.slmgen.jobs.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.slmgen.shared.identity.ForwardCallerHeaders;
import io.smallrye.mutiny.Uni;

/**
 * storage-service's storage-api, as the caller (the seed's storage policies: own folder only). Object
 * paths here are always {@code {user_id}/{job_id}/{name}}: three segments, each encoded by the client.
 * Reads of object bytes go through {@link StorageObjects}, which never trusts a size it did not measure.
 */
@RegisterRestClient(configKey = "storage")
@RegisterClientHeaders(ForwardCallerHeaders.class)
@Path("/storage/v1/object")
public interface StorageClient {

    String IPYNB = "application/x-ipynb+json";

    @POST
    @Path("{bucket}/{owner}/{job}/{name}")
    @Consumes(IPYNB)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Map<String, Object>> upload(@PathParam("bucket") String bucket, @PathParam("owner") String owner,
                                    @PathParam("job") String job, @PathParam("name") String name,
                                    @HeaderParam("x-upsert") String upsert, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey, byte[] body);

    @POST
    @Path("sign/{bucket}/{owner}/{job}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<SignedUrl> sign(@PathParam("bucket") String bucket, @PathParam("owner") String owner,
                                  @PathParam("job") String job, @PathParam("name") String name,
                                  @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey, Requests.Sign body);

    @DELETE
    @Path("{bucket}/{owner}/{job}/{name}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Map<String, Object>> delete(@PathParam("bucket") String bucket, @PathParam("owner") String owner,
                                    @PathParam("job") String job, @PathParam("name") String name, @HeaderParam("Authorization") String authorization, @HeaderParam("apikey") String apikey);
}
