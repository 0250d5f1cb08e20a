package io.zkpfl.marketplace.job;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.zkpfl.marketplace.artifact.ArtifactStore;
import io.zkpfl.marketplace.chain.MarketChain;
import io.zkpfl.marketplace.dependency.Deadlines;
import io.zkpfl.marketplace.problem.Problem;
import io.zkpfl.marketplace.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Training jobs: model owners post them, trainers list and fetch them. */
@Path("/api/v1/jobs")
@Tag(name = "jobs", description = "Post, list and fetch training jobs")
public class JobResource {

    private final JobService jobs;
    private final ArtifactStore artifacts;
    private final MarketChain chain;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final Deadlines deadlines;
    private final JobProgress progress;

    public JobResource(JobService jobs, ArtifactStore artifacts, MarketChain chain, io.vertx.mutiny.core.Vertx vertx,
            Deadlines deadlines, JobProgress progress) {
        this.jobs = jobs;
        this.progress = progress;
        this.deadlines = deadlines;
        this.artifacts = artifacts;
        this.chain = chain;
        this.vertx = vertx;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a training job",
            description = "The body is the job with the owner's EIP-712 signature over the chain's JobParams "
                    + "(POST /api/v1/jobs/typed-data returns them; see docs/marketplace-api.md); initialWeights, if given, "
                    + "is base64 of little-endian float32 values in the model's canonical order. The job is checked against "
                    + "the chain (a simulated createJob) before it is stored; a relayer then creates it on chain in the "
                    + "background. Re-posting the same signed job returns the existing job with 200.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Object.class)))
    @APIResponse(responseCode = "201", description = "Job stored")
    @APIResponse(responseCode = "200", description = "The same signed job was posted before; that job is returned")
    @APIResponse(responseCode = "400", description = "Invalid job", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Signature missing, malformed or not by the owner", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Another stored job uses this owner's nonce", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body larger than the configured limit", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The chain would refuse the job; detail: the decoded revert reason", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "A dependency (named in 'dependency') did not answer in time or cannot be reached", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<JobView>> post(String body) {
        return jobs.post(body, null).map(JobResource::created);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a training job with large initial weights",
            description = "Part 'job': the signed job JSON without initialWeights; part 'weights': the raw little-endian float32 weights.")
    public Uni<RestResponse<JobView>> postMultipart(@RestForm("job") String job, @RestForm("weights") FileUpload weights) {
        if (job == null) {
            return Uni.createFrom().failure(ProblemException.invalid("job", "the multipart part 'job' with the signed job JSON is required"));
        }
        return jobs.post(job, weights == null ? null : weights.uploadedFile()).map(JobResource::created);
    }

    @POST
    @Path("/typed-data")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The EIP-712 typed data to sign for a job",
            description = "The body is the job as for POST /api/v1/jobs, without signature. Returns the JobParams typed data "
                    + "(eth_signTypedData_v4 JSON) with the derived manifest, modelHash and bucket, and its digest. Stores nothing.")
    @APIResponse(responseCode = "400", description = "Invalid job", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TypedDataView> typedData(String body) {
        return jobs.typedData(body, null);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List jobs, newest first",
            description = "Filter by status and owner. Page by number (page from 0), or follow the cursor: "
                    + "each full page carries 'next'; ?after=<next> returns the following page at constant cost.")
    public Uni<JobPage> list(@RestQuery JobStatus status, @RestQuery String owner,
            @RestQuery @DefaultValue("0") int page, @RestQuery @DefaultValue("20") int size, @RestQuery Long after) {
        return jobs.list(status, owner, page, size, after);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fetch one job", description = "With its submission state and, once it is on chain, the chain's state "
            + "of the job (cached for zkpfl.chain.state-ttl; when the chain cannot be read, chain.error says so).")
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobView> get(@RestPath long id) {
        return deadlines.postgres(jobs.get(id)).chain(job -> job.chainJobId == null
                ? Uni.createFrom().item(JobView.of(job))
                : vertx.executeBlocking(Uni.createFrom().item(() -> JobView.of(job, chain.state(job.chainJobId, job.chainBlock == null ? 0 : job.chainBlock)))));
    }

    @GET
    @Path("/{id}/artifacts/{name}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Stream a job artefact from IPFS", description = "Artefacts: model.json, weights.bin, manifest.json. The content is checked against its CID while streaming.")
    public RestMulti<Buffer> artifact(@RestPath long id, @RestPath String name) {
        Uni<Artifact> artifact = deadlines.postgres(jobs.get(id)).map(job -> switch (name) {
            case JobView.MODEL_ARTIFACT -> new Artifact(job.modelCid, MediaType.APPLICATION_JSON, job.modelSpec.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            case JobView.WEIGHTS_ARTIFACT -> new Artifact(job.weightsCid, MediaType.APPLICATION_OCTET_STREAM, job.weightsBytes);
            case JobView.MANIFEST_ARTIFACT -> {
                if (job.manifestCid == null) {
                    throw ProblemException.notFound("job " + id + " predates manifests");
                }
                yield new Artifact(job.manifestCid, MediaType.APPLICATION_JSON, job.manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            default -> throw ProblemException.notFound("job " + id + " has no artifact '" + name + "'; artifacts are "
                    + List.of(JobView.MODEL_ARTIFACT, JobView.WEIGHTS_ARTIFACT, JobView.MANIFEST_ARTIFACT));
        });
        return RestMulti.fromUniResponse(artifact, a -> artifacts.stream(a.cid()),
                a -> Map.of("Content-Type", List.of(a.mediaType()), "Content-Length", List.of(String.valueOf(a.size())),
                        "X-Ipfs-Path", List.of("/ipfs/" + a.cid()), "ETag", List.of("\"" + a.cid() + "\"")));
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The job's progress, live (server-sent events)",
            description = "Polls the chain and the audit service every zkpfl.audit.poll-interval and pushes what changed: "
                    + "'job' (the job with its on-chain state, participants and privacy budget), 'round' (one round from "
                    + "the audit API with epsilon after it for DP jobs; sent again when it changes), 'audit' (whether the "
                    + "audit service answers: ok, not-configured, unavailable) and, once the job has finished, 'end', "
                    + "after which the stream closes. Every data field is one JSON object (docs/marketplace-api.md).")
    @APIResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "PostgreSQL did not answer in time", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestMulti<jakarta.ws.rs.sse.OutboundSseEvent> events(@RestPath long id, @jakarta.ws.rs.core.Context jakarta.ws.rs.sse.Sse sse) {
        return RestMulti.fromUniResponse(progress.job(id), job -> progress.stream(job).map(e -> sse.newEventBuilder()
                        .name(e.name()).mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, e.data()).build()),
                job -> Map.of("Cache-Control", List.of("no-cache"), "X-Accel-Buffering", List.of("no")));
    }

    @GET
    @Path("/{id}/rounds")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The job's rounds, from the audit service",
            description = "Each round as GET /api/v1/audit/jobs/{chainJobId}/rounds of the reward engine shows it (attempts "
                    + "with commits, openings, reveals and aggregate transactions; result with accuracyPpm; payments), with "
                    + "'epsilon' (spent after the round, cumulative) for a DP job. Empty before the job is on chain.")
    @APIResponse(responseCode = "404", description = "No such job", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The audit service (dependency 'audit') is not configured, did not answer in time or cannot be reached", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Map<String, Object>> rounds(@RestPath long id) {
        return progress.job(id).chain(job -> progress.rounds(job).map(rounds -> {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("id", job.id);
            out.put("chainJobId", job.chainJobId == null ? null : job.chainJobId.toString());
            out.put("rounds", rounds);
            return out;
        }));
    }

    @GET
    @Path("/{id}/model")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The job's final model",
            description = "Once the job has finished on chain: the round, keccak-256 and IPFS CID of the last evaluated "
                    + "model w' as the reward engine published it, checked against the hash the chain logged in that "
                    + "round's RoundPaid; 'href' downloads the weights.")
    @APIResponse(responseCode = "404", description = "No such job, or the audit service's engine does not evaluate it", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The job has no final model yet: not on chain, still running, or ended without an evaluated round", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "502", description = "The audit service's model is not the one the chain logged", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The audit service or the chain (named in 'dependency') is not configured, did not answer in time or cannot be reached", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<JobProgress.FinalModel> model(@RestPath long id) {
        return progress.job(id).chain(progress::finalModel);
    }

    @GET
    @Path("/{id}/model/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download the job's final model",
            description = "Its float32 little-endian weights (FlatParameters, canonical order) streamed from IPFS and checked "
                    + "against the CID of GET /api/v1/jobs/{id}/model while streaming; ETag and X-Ipfs-Path carry the CID, "
                    + "X-Keccak-256 the hash the chain logged.")
    @APIResponse(responseCode = "409", description = "The job has no final model yet", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RestMulti<Buffer> modelWeights(@RestPath long id) {
        Uni<Object[]> model = progress.job(id).chain(job -> progress.finalModel(job).map(m -> new Object[] {job, m}));
        return RestMulti.fromUniResponse(model, a -> artifacts.stream(((JobProgress.FinalModel) a[1]).weightsCid()),
                a -> {
                    JobProgress.FinalModel m = (JobProgress.FinalModel) a[1];
                    return Map.of("Content-Type", List.of(MediaType.APPLICATION_OCTET_STREAM),
                            "Content-Length", List.of(String.valueOf(4L * ((Job) a[0]).parameterCount)),
                            "Content-Disposition", List.of("attachment; filename=\"job-" + id + "-round-" + m.round() + ".bin\""),
                            "X-Ipfs-Path", List.of("/ipfs/" + m.weightsCid()), "ETag", List.of("\"" + m.weightsCid() + "\""),
                            "X-Keccak-256", List.of(m.weightsHash()));
                });
    }

    private record Artifact(String cid, String mediaType, long size) {
    }

    private static RestResponse<JobView> created(JobService.Posted posted) {
        JobView view = JobView.of(posted.job());
        return posted.created()
                ? RestResponse.ResponseBuilder.<JobView>created(URI.create("/api/v1/jobs/" + view.id())).entity(view).build()
                : RestResponse.ok(view);
    }
}
