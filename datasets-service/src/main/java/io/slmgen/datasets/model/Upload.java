package io.slmgen.datasets.model;

import java.util.UUID;

import io.slmgen.datasets.analysis.AnalysisResult;

/** A file that reached storage and passed analysis: what the datasets row is made of. */
public record Upload(String filename, String storagePath, long size, AnalysisResult analysis, UUID jobId,
                     String sessionId) {
}
