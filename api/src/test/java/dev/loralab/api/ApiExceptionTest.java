package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void httpMapping() {
    assertThat(ApiException.invalidArgument("dev_eui", "expected 16 hex digits").httpStatus())
        .isEqualTo(400);
    assertThat(ApiException.unauthenticated("no token").httpStatus()).isEqualTo(401);
    assertThat(ApiException.permissionDenied("no rights").httpStatus()).isEqualTo(403);
    assertThat(ApiException.notFound("device:app1/dev1").httpStatus()).isEqualTo(404);
    assertThat(ApiException.alreadyExists("gateway:gw1").httpStatus()).isEqualTo(409);
    assertThat(ApiException.failedPrecondition("no session").httpStatus()).isEqualTo(412);
    assertThat(ApiException.resourceExhausted("queue full").httpStatus()).isEqualTo(429);
    assertThat(ApiException.unavailable("gateway not connected").httpStatus()).isEqualTo(503);
    assertThat(ApiException.internal("bug", null).httpStatus()).isEqualTo(500);
    assertThat(ApiException.deadlineExceeded("slow").httpStatus()).isEqualTo(504);
    for (Status.Code c : Status.Code.values()) {
      assertThat(ApiException.httpStatus(c)).isBetween(200, 599);
    }
  }

  @Test
  void okIsNotAnError() {
    assertThatThrownBy(() -> new ApiException(Status.Code.OK, "fine"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidArgumentNamesField() {
    ApiException e = ApiException.invalidArgument("dev_eui", "expected 16 hex digits, found 3");
    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getMessage()).contains("dev_eui").contains("found 3");
    assertThat(e.attributes().getFieldsOrThrow("field").getStringValue()).isEqualTo("dev_eui");
  }

  @Test
  void errorJson() throws Exception {
    ApiException e = ApiException.notFound("device:app1/dev\"1");
    JsonNode json = MAPPER.readTree(e.toErrorJson());
    assertThat(json.get("code").isInt()).isTrue();
    assertThat(json.get("code").asInt()).isEqualTo(5);
    assertThat(json.get("message").asText()).isEqualTo("device:app1/dev\"1 not found");
    JsonNode d = json.get("details").get(0);
    assertThat(d.get("@type").asText()).isEqualTo("type.googleapis.com/ttn.lorawan.v3.ErrorDetails");
    assertThat(d.get("name").asText()).isEqualTo("not_found");
    assertThat(d.get("code").asInt()).isEqualTo(5);
    assertThat(d.at("/attributes/entity").asText()).isEqualTo("device:app1/dev\"1");
  }

  @Test
  void grpcRoundTrip() {
    ApiException e = ApiException.invalidArgument("f_port", "expected 1..223, found 0");
    StatusRuntimeException sre = e.toStatusRuntimeException();
    assertThat(sre.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(sre.getStatus().getDescription()).isEqualTo(e.getMessage());
    ApiException back = ApiException.from(sre);
    assertThat(back.code()).isEqualTo(e.code());
    assertThat(back.getMessage()).isEqualTo(e.getMessage());
    assertThat(back.attributes()).isEqualTo(e.attributes());
  }

  @Test
  void fromUnwrapsFutures() {
    ApiException e = ApiException.unavailable("gateway gw1 not connected");
    CompletableFuture<Void> f = CompletableFuture.failedFuture(e);
    CompletionException ce = org.junit.jupiter.api.Assertions.assertThrows(
        CompletionException.class, f::join);
    assertThat(ApiException.from(ce)).isSameAs(e);
    assertThat(ApiException.from(new IllegalStateException("x")).code())
        .isEqualTo(Status.Code.INTERNAL);
    assertThat(ApiException.from(Status.NOT_FOUND.asRuntimeException()).code())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void withAttribute() {
    ApiException e = ApiException.resourceExhausted("duty cycle").withAttribute("gateway", "gw1");
    assertThat(e.attributes().getFieldsOrThrow("gateway").getStringValue()).isEqualTo("gw1");
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void authExceptionsMap() {
    assertThat(ApiException.from(new dev.loralab.api.auth.Unauthenticated("unknown token")).code())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    ApiException denied = ApiException.from(new dev.loralab.api.auth.PermissionDenied(
        dev.loralab.api.auth.EntityKeys.application("app1"), "requires RIGHT_APPLICATION_INFO"));
    assertThat(denied.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.httpStatus()).isEqualTo(403);
    assertThat(denied.attributes().getFieldsOrThrow("entity").getStringValue())
        .isEqualTo("application:app1");
    assertThat(ApiException.permissionDenied(dev.loralab.api.auth.EntityKeys.gateway("gw1"),
        "x").getMessage()).contains("gateway:gw1");
    assertThat(ApiException.from(new ProtoJsonException("bad json", null)).httpStatus())
        .isEqualTo(400);
  }

  @Test
  void errorNameDefaultsToTheCode() {
    assertThat(ApiException.notFound("gateway:gw1").name()).isEqualTo("not_found");
    assertThat(ApiException.notFound("gateway:gw1").toErrorDetails().getName())
        .isEqualTo("not_found");
  }

  @Test
  void errorNameIsKeptThroughCopiesDetailsJsonAndGrpc() throws Exception {
    ApiException e = ApiException.permissionDenied("MIC mismatch").withName("mic_mismatch")
        .withAttribute("reason", "mic_mismatch");
    assertThat(e.name()).isEqualTo("mic_mismatch");
    assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getMessage()).isEqualTo("MIC mismatch");
    assertThat(e.toErrorDetails().getName()).isEqualTo("mic_mismatch");
    assertThat(e.toErrorDetails().getCode()).isEqualTo(7);
    assertThat(MAPPER.readTree(e.toErrorJson()).at("/details/0/name").asText())
        .isEqualTo("mic_mismatch");

    ApiException back = ApiException.from(e.toStatusRuntimeException());
    assertThat(back.name()).isEqualTo("mic_mismatch");
    assertThat(back.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(back.attributes()).isEqualTo(e.attributes());
    assertThat(back.toErrorDetails()).isEqualTo(e.toErrorDetails());
    // a renamed copy of a round-tripped exception keeps the new name
    assertThat(back.withName("other_reason").toErrorDetails().getName())
        .isEqualTo("other_reason");
  }

  @Test
  void malformedErrorNamesAreRejected() {
    ApiException e = ApiException.internal("x", null);
    for (String bad : new String[] {"", "MIC", "mic mismatch", "1abc", "a".repeat(65), "mic-x"}) {
      assertThatThrownBy(() -> e.withName(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name");
    }
    assertThatThrownBy(() -> e.withName(null)).isInstanceOf(NullPointerException.class);
  }
}
