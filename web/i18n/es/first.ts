/**
 * Spanish (Colombia), the default language: the FIRST part, the texts of the first screens (page chrome,
 * home, merchant loading, the lookup form, statement links and the errors those can show). It is in the
 * entry chunk, so the lookup page renders at once with no missing text. Later steps' texts (list, checkout,
 * result, money back, charge links, their errors) are in ./later.ts, loaded on demand (see ../i18n.ts).
 * This object is the source of the first part's key types: en/first.ts has exactly the same shape.
 */
export const esFirst = {
  app: {
    name: 'Saldo',
    skipToContent: 'Saltar al contenido principal',
    language: 'Idioma',
    languages: { es: 'Español', en: 'English' },
    footer: 'Pagos seguros procesados por PayU.',
    privacy: 'Tu número de identificación no se guarda en este dispositivo.',
    loading: 'Cargando…',
    notFoundTitle: 'Página no encontrada',
    notFoundBody: 'Revisa el enlace que te enviaron.',
    contact: 'Contacto de {{merchant}}:',
    supportWeb: 'Centro de ayuda',
    terms: 'Términos y condiciones',
    privacyPolicy: 'Política de privacidad',
  },
  home: {
    title: 'Paga tus facturas en línea',
    body: 'Para consultar y pagar tus facturas, abre el enlace que te envió tu comercio por correo, mensaje o en su sitio web.',
    demo: 'Probar la demostración',
    demoHint: 'Es un comercio de prueba: ningún pago es real.',
  },
  merchant: {
    loading: 'Cargando el portal de pagos…',
    notFoundTitle: 'No encontramos este comercio',
    notFoundBody: 'Revisa el enlace que te enviaron o pide uno nuevo a tu comercio.',
    errorTitle: 'No pudimos cargar esta página',
    logoAlt: 'Logo de {{name}}',
    retry: 'Reintentar',
  },
  lookup: {
    title: 'Consulta y paga tus facturas',
    intro: 'Para ver tus pagos pendientes con {{merchant}}, escribe tu número de identificación.',
    idLabel: 'Número de identificación (cédula o NIT)',
    idHint: '5 a 15 dígitos; para NIT puedes agregar el dígito de verificación con guion, p. ej. 900373923-8',
    errorRequired: 'Escribe tu número de identificación.',
    errorFormat:
      'Revisa el número: deben ser de 5 a 15 dígitos; para NIT puedes agregar el dígito de verificación con guion, p. ej. 900373923-8.',
    errorCheckDigit:
      'El dígito de verificación no corresponde a este NIT. Revísalo o escribe el NIT sin el dígito.',
    submit: 'Consultar',
    loading: 'Consultando tus pagos pendientes…',
    retry: 'Reintentar',
    another: 'Consultar otro número',
    rateLimitedIn_one: 'Hiciste muchas consultas seguidas. Intenta de nuevo en {{count}} segundo.',
    rateLimitedIn_other: 'Hiciste muchas consultas seguidas. Intenta de nuevo en {{count}} segundos.',
  },
  statement: {
    invalidTitle: 'Este enlace no es válido',
    invalidBody:
      'Puede estar incompleto o modificado. Escribe tu número de identificación para consultar tus pagos.',
    expiredTitle: 'Este enlace ya venció',
    expiredBody:
      'Por tu seguridad, los enlaces de pago vencen. Escribe tu número de identificación para ver tus pagos pendientes.',
  },
  errors: {
    invalid_request: 'La solicitud no es válida. Recarga la página e intenta de nuevo.',
    invalid_id_number:
      'El número de identificación no es válido: deben ser de 5 a 15 dígitos; para NIT puedes agregar el dígito de verificación con guion.',
    invalid_token: 'Este enlace no es válido.',
    expired_token: 'Este enlace ya venció.',
    unknown_merchant: 'No encontramos este comercio. Revisa el enlace.',
    unauthorized: 'No tienes permiso para ver esto.',
    not_found: 'No encontramos lo que buscas.',
    rate_limited: 'Hiciste muchas consultas seguidas. Espera unos minutos e intenta de nuevo.',
    erp_unavailable: 'El sistema del comercio no responde en este momento. Intenta de nuevo en unos minutos.',
    erp_bad_response: 'El sistema del comercio respondió con un error. Intenta de nuevo más tarde.',
    erp_timeout: 'El sistema del comercio está tardando demasiado en responder. Intenta de nuevo.',
    payload_too_large: 'La solicitud es demasiado grande. Intenta de nuevo.',
    internal_error: 'Algo salió mal de nuestro lado. Intenta de nuevo en unos minutos.',
    network_error: 'No hay conexión con el servidor. Revisa tu internet e intenta de nuevo.',
    invalid_response: 'Recibimos una respuesta inesperada. Intenta de nuevo en unos minutos.',
  },
} as const;
