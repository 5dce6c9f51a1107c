package dev.loralab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ApiFilesTest {
  @Test
  void everyProtoFileIsListed() throws IOException {
    Path root = Path.of("src/main/protobuf");
    try (Stream<Path> files = Files.walk(root)) {
      var protos = files.filter(p -> p.toString().endsWith(".proto"))
          .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
      var listed = ApiFiles.all().stream().map(FileDescriptor::getName).sorted().toList();
      assertThat(listed).containsExactlyElementsOf(protos);
    }
  }
}
