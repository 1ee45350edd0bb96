import { status, type handleUnaryCall } from '@grpc/grpc-js';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';

export interface FeaturesOptions {
  /** Advertise `Streams.BatchAppend`, so the client appends over one bidirectional call. */
  readonly batchAppend: boolean;
  /** Answer UNIMPLEMENTED, as servers before 21.10 do (the client then assumes no features). */
  readonly unimplemented: boolean;
}

const STREAMS = 'event_store.client.streams.streams';

/** `ServerFeatures.GetSupportedMethods`, which the client calls once, lazily, on its first append. */
export function serverFeaturesHandler(options: FeaturesOptions): handleUnaryCall<Empty, SupportedMethods> {
  return (_call, callback) => {
    if (options.unimplemented) return callback({ code: status.UNIMPLEMENTED, details: 'Method not found: GetSupportedMethods' });
    const methods = [
      method(STREAMS, 'read', ['all', 'stream', 'filter']),
      method(STREAMS, 'append'),
      method(STREAMS, 'delete'),
      method(STREAMS, 'tombstone'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ];
    if (options.batchAppend) methods.push(method(STREAMS, 'batchappend'));
    callback(null, new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('23.10.0'));
  };
}

function method(serviceName: string, methodName: string, features: string[] = []): SupportedMethod {
  return new SupportedMethod().setServiceName(serviceName).setMethodName(methodName).setFeaturesList(features);
}
