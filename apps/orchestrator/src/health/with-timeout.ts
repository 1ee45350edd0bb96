/** Settles like `promise`, or rejects with `message` once `ms` have passed (its timer is cleared either way). */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(message()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
