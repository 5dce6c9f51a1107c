/**
 * gRPC server plumbing shared by the server modules: {@link dev.loralab.web.grpc.GrpcAuth}
 * (bearer-key authentication into a Context key), {@link dev.loralab.web.grpc.RpcCorrelation}
 * ({@code rpc:/<method>:<id>} correlation IDs) and {@link dev.loralab.web.grpc.GrpcErrors}
 * (exception to status mapping without internals).
 */
package dev.loralab.web.grpc;
