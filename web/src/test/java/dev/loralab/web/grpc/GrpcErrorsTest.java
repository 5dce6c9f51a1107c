package dev.loralab.web.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.api.ApiException;
import dev.loralab.api.v3.ErrorDetails;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

  @Test
  void shortDescriptionsAndDetailsPassUnchanged() {
    StatusRuntimeException e = GrpcErrors.toStatusRuntimeException(
        ApiException.invalidArgument("application_id", "expected an ID, found 'UPPER'"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("invalid application_id: expected an ID, found 'UPPER'");
    ErrorDetails d = e.getTrailers().get(ApiException.ERROR_DETAILS_KEY);
    assertThat(d.getAttributes().getFieldsMap()).containsKey("field");
  }

  @Test
  void descriptionsAndDetailsEchoingHugeInputAreCut() {
    String huge = "x".repeat(5000);
    StatusRuntimeException e = GrpcErrors.toStatusRuntimeException(ApiException.notFound("application:" + huge));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription()).startsWith("application:xxx")
        .hasSizeLessThan(GrpcErrors.MAX_DESCRIPTION_CHARS + 40).endsWith("(5022 characters)");
    ErrorDetails d = e.getTrailers().get(ApiException.ERROR_DETAILS_KEY);
    assertThat(d.getCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(d.getSerializedSize()).isLessThan(GrpcErrors.MAX_DESCRIPTION_CHARS + 100);
  }
}
