type DateTimeFormatConstructor = typeof Intl.DateTimeFormat;

/**
 * Runs `load` with `Intl.DateTimeFormat` standing in for a constructor whose formatters build the real one on first
 * use, then puts the real constructor back (also when `load` throws). For module code that builds formatters when it
 * loads and may never use them: the first real `Intl.DateTimeFormat` of a process initialises ICU's date data, about
 * 9 MB of resident memory. A stand-in answers every method of the real prototype by forwarding to the real formatter.
 */
export function withLazyDateFormats<T>(load: () => T): T {
  const Real = Intl.DateTimeFormat;
  const methods = Object.getOwnPropertyNames(Real.prototype).filter((name) => name !== 'constructor');
  function LazyDateTimeFormat(...args: ConstructorParameters<DateTimeFormatConstructor>): Intl.DateTimeFormat {
    let real: Intl.DateTimeFormat | undefined;
    const formatter = () => (real ??= new Real(...args));
    const forward = (name: string) => (...callArgs: unknown[]) => {
      const target = formatter();
      return Reflect.apply(Reflect.get(target, name) as (...a: unknown[]) => unknown, target, callArgs);
    };
    const standIn = Object.fromEntries(methods.map((name) => [name, forward(name)]));
    return standIn as unknown as Intl.DateTimeFormat;
  }
  LazyDateTimeFormat.supportedLocalesOf = Real.supportedLocalesOf;
  Intl.DateTimeFormat = LazyDateTimeFormat as unknown as DateTimeFormatConstructor;
  try {
    return load();
  } finally {
    Intl.DateTimeFormat = Real;
  }
}
