package io.slmgen.datasets.upload;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.slmgen.datasets.client.StorageClient;
import io.slmgen.datasets.config.DatasetsConfig;
import io.slmgen.datasets.model.Upload;
import io.slmgen.datasets.service.DatasetCreations;
import io.slmgen.shared.identity.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The upload pipeline's entry (docs/SPEC.md §6): a request body streamed to storage-service and
 * analysed on the way ({@link UploadStream}, {@link AnalysisPipe}), handed back as the {@link Upload}
 * a datasets row is made of. Both upload routes (/api/datasets and SLMGEN's /slmgen/upload) come here.
 */
@ApplicationScoped
public class Uploads {

    @Inject
    DatasetsConfig config;
    @Inject
    StorageClient storage;
    @Inject
    DatasetCreations creations;
    @Inject
    AnalysisWorkers analysisWorkers;

    /** Receives the upload of {@code uploader}; {@code queryFilename} names a raw NDJSON body. */
    public Uni<Upload> receive(HttpServerRequest request, String queryFilename, Caller uploader) {
        return receive(request, queryFilename, () -> Uni.createFrom().item(uploader));
    }

    /**
     * As above, but the uploader is only established once the file name passed its check (SLMGEN's
     * anonymous sessions: the anonymous user is created then, not for requests rejected up front).
     */
    public Uni<Upload> receive(HttpServerRequest request, String queryFilename, Supplier<Uni<Caller>> uploader) {
        return UploadStream.receive(request, queryFilename, uploader, config, storage, creations, analysisWorkers);
    }
}
