/**
 * The few sentences the adapter says itself, for moments the engine cannot speak: the turn failed,
 * a file consent answer arrives as an invoke the engine never sees, a reply meant for one person
 * cannot reach them privately, or a card action needs its own short acknowledgement. Teams store validation
 * wants every declared language covered, so each one is here in en, de, es and fr.
 */
export type NoticeKey =
  | 'turnFailed'
  | 'exportDeclined'
  | 'exportExpired'
  | 'exportFailed'
  | 'exportPersonalOnly'
  | 'privateReplyPointer'
  | 'actionReceived';

type Language = 'en' | 'de' | 'es' | 'fr';

const NOTICES: Readonly<Record<Language, Readonly<Record<NoticeKey, string>>>> = {
  en: {
    turnFailed: 'Sorry, something went wrong on my side. Please try again in a moment.',
    exportDeclined: 'OK, the export was not sent. You can ask for it again at any time.',
    exportExpired: 'This export is no longer available. Please ask for a new export.',
    exportFailed: 'Sorry, I could not upload the export. Please ask for a new export.',
    exportPersonalOnly: 'For your privacy, exports are only sent in a personal chat with me.',
    privateReplyPointer:
      'My answer is meant only for you. Please open a personal chat with me and ask there again.',
    actionReceived: 'Got it.',
  },
  de: {
    turnFailed: 'Entschuldigung, bei mir ist etwas schiefgelaufen. Bitte versuche es gleich noch einmal.',
    exportDeclined: 'In Ordnung, der Export wurde nicht gesendet. Du kannst ihn jederzeit erneut anfordern.',
    exportExpired: 'Dieser Export ist nicht mehr verfügbar. Bitte fordere einen neuen Export an.',
    exportFailed: 'Entschuldigung, der Export konnte nicht hochgeladen werden. Bitte fordere einen neuen an.',
    exportPersonalOnly: 'Zum Schutz deiner Daten sende ich Exporte nur in einem persönlichen Chat mit mir.',
    privateReplyPointer:
      'Meine Antwort ist nur für dich bestimmt. Bitte öffne einen persönlichen Chat mit mir und frag dort noch einmal.',
    actionReceived: 'Verstanden.',
  },
  es: {
    turnFailed: 'Lo siento, algo ha fallado por mi parte. Inténtalo de nuevo en un momento.',
    exportDeclined: 'De acuerdo, no se ha enviado la exportación. Puedes volver a pedirla cuando quieras.',
    exportExpired: 'Esta exportación ya no está disponible. Pide una nueva exportación.',
    exportFailed: 'Lo siento, no he podido subir la exportación. Pide una nueva exportación.',
    exportPersonalOnly: 'Por tu privacidad, solo envío exportaciones en un chat personal conmigo.',
    privateReplyPointer:
      'Mi respuesta es solo para ti. Abre un chat personal conmigo y vuelve a preguntarme allí.',
    actionReceived: 'Entendido.',
  },
  fr: {
    turnFailed: 'Désolé, un problème est survenu de mon côté. Veuillez réessayer dans un instant.',
    exportDeclined: 'D’accord, l’export n’a pas été envoyé. Vous pouvez le redemander à tout moment.',
    exportExpired: 'Cet export n’est plus disponible. Veuillez demander un nouvel export.',
    exportFailed: 'Désolé, je n’ai pas pu téléverser l’export. Veuillez demander un nouvel export.',
    exportPersonalOnly:
      'Pour protéger vos données, j’envoie les exports uniquement dans un chat personnel avec moi.',
    privateReplyPointer:
      'Ma réponse ne concerne que vous. Veuillez ouvrir un chat personnel avec moi et y reposer votre question.',
    actionReceived: 'Bien reçu.',
  },
};

/** `locale` is the activity's (e.g. `de-DE`); anything we do not speak falls back to English. */
export function notice(key: NoticeKey, locale: unknown): string {
  const language = typeof locale === 'string' ? locale.slice(0, 2).toLowerCase() : 'en';
  const table = isLanguage(language) ? NOTICES[language] : NOTICES.en;
  return table[key];
}

function isLanguage(value: string): value is Language {
  return value === 'en' || value === 'de' || value === 'es' || value === 'fr';
}
