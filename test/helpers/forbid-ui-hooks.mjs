export async function resolve(specifier, context, next) {
  if (/^(ink|react)(\/|$)/.test(specifier)) throw new Error(`forbidden import: ${specifier}`);
  return next(specifier, context);
}
