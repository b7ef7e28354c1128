/**
 * The slash commands the bot registers with Discord: the same privacy commands every channel
 * understands as text (`/privacy`, `/delete`, ...). A command reaches the engine as that text, so
 * the dialogs need no Discord knowledge. Registered by register-commands.ts.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType } from 'discord.js';
import { InteractionContextType, Locale } from 'discord.js';
import type {
  APIApplicationCommandOption,
  APIApplicationCommandOptionChoice,
  LocalizationMap,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { PURPOSES, type Purpose } from '../../src/privacy/purposes';

/** One text per bot language; `en` is Discord's default, the others become localizations. */
interface Texts {
  readonly en: string;
  readonly de: string;
  readonly es: string;
  readonly fr: string;
}

function localizations(texts: Texts): LocalizationMap {
  // Discord has two Spanish locales; both get the bot's Spanish.
  return {
    [Locale.German]: texts.de,
    [Locale.SpanishES]: texts.es,
    [Locale.SpanishLATAM]: texts.es,
    [Locale.French]: texts.fr,
  };
}

function described(texts: Texts) {
  return { description: texts.en, description_localizations: localizations(texts) };
}

function choice<T extends string>(value: T, texts: Texts): APIApplicationCommandOptionChoice<T> {
  return { name: texts.en, name_localizations: localizations(texts), value };
}

function stringOption(name: string, texts: Texts, choices: APIApplicationCommandOptionChoice<string>[]) {
  // Optional on purpose: the bare command answers with buttons, as on the other channels.
  const option: APIApplicationCommandOption = {
    type: ApplicationCommandOptionType.String,
    name,
    ...described(texts),
    required: false,
    choices,
  };
  return option;
}

/**
 * Command names stay English in every locale: the engine's help text and privacy notice quote
 * them ("send /delete"), and people switch between channels. Descriptions and choices are
 * translated, since they are what the command picker shows.
 */
function command(
  name: string,
  texts: Texts,
  options: APIApplicationCommandOption[] = [],
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name,
    ...described(texts),
    ...(options.length > 0 ? { options } : {}),
    // Servers that installed the bot, and DMs with it. Not group DMs: a privacy dialogue there
    // would happen in front of other people.
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

const LANGUAGE_CHOICES = [
  // Language names in their own language: recognisable whatever the client's language.
  { name: 'English', value: 'en' },
  { name: 'Deutsch', value: 'de' },
  { name: 'Español', value: 'es' },
  { name: 'Français', value: 'fr' },
];

const PURPOSE_NAMES: Record<Purpose, Texts> = {
  history: { en: 'Chat history', de: 'Chatverlauf', es: 'Historial del chat', fr: 'Historique des échanges' },
  personalization: {
    en: 'Personalization',
    de: 'Personalisierung',
    es: 'Personalización',
    fr: 'Personnalisation',
  },
  analytics: { en: 'Analytics', de: 'Statistik', es: 'Analítica', fr: 'Statistiques' },
};

export const COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  command('privacy', {
    en: 'Privacy notice: what is stored, why, for how long, and your rights',
    de: 'Datenschutzhinweis: was gespeichert wird, warum, wie lange, und deine Rechte',
    es: 'Aviso de privacidad: qué se guarda, por qué, cuánto tiempo y tus derechos',
    fr: 'Avis de confidentialité : ce qui est conservé, pourquoi, combien de temps, vos droits',
  }),
  command('mydata', {
    en: 'See what the bot stores about you',
    de: 'Sieh dir an, was der Bot über dich speichert',
    es: 'Consulta qué guarda el bot sobre ti',
    fr: 'Voir ce que le bot conserve sur vous',
  }),
  command('export', {
    en: 'Download your data as a JSON file',
    de: 'Lade deine Daten als JSON-Datei herunter',
    es: 'Descarga tus datos en un archivo JSON',
    fr: 'Télécharger vos données dans un fichier JSON',
  }),
  command('delete', {
    en: 'Delete your stored data',
    de: 'Lösche deine gespeicherten Daten',
    es: 'Elimina tus datos guardados',
    fr: 'Supprimer vos données enregistrées',
  }),
  command('consent', {
    en: 'Review or change what you agreed to',
    de: 'Einwilligungen ansehen oder ändern',
    es: 'Revisa o cambia tus consentimientos',
    fr: 'Consulter ou modifier vos consentements',
  }),
  command('stop', {
    en: 'Withdraw your consent: nothing more is stored about you',
    de: 'Einwilligung widerrufen: nichts mehr über dich speichern',
    es: 'Retira tu consentimiento: no se guarda nada más sobre ti',
    fr: 'Retirer votre consentement : plus rien n’est conservé sur vous',
  }),
  command('start', {
    en: 'Start the bot and read the privacy notice',
    de: 'Bot starten und den Datenschutzhinweis lesen',
    es: 'Inicia el bot y lee el aviso de privacidad',
    fr: 'Démarrer le bot et lire l’avis de confidentialité',
  }),
  command('help', {
    en: 'List the commands',
    de: 'Alle Befehle anzeigen',
    es: 'Muestra los comandos',
    fr: 'Afficher les commandes',
  }),
  command(
    'language',
    {
      en: 'Change the bot’s language',
      de: 'Sprache des Bots ändern',
      es: 'Cambia el idioma del bot',
      fr: 'Changer la langue du bot',
    },
    [stringOption('code', { en: 'Language', de: 'Sprache', es: 'Idioma', fr: 'Langue' }, LANGUAGE_CHOICES)],
  ),
  command(
    'restrict',
    {
      en: 'Pause or resume the processing of your data',
      de: 'Verarbeitung deiner Daten einschränken oder fortsetzen',
      es: 'Limita o reanuda el tratamiento de tus datos',
      fr: 'Limiter ou reprendre le traitement de vos données',
    },
    [
      stringOption(
        'mode',
        {
          en: 'Restrict or resume',
          de: 'Einschränken oder fortsetzen',
          es: 'Limitar o reanudar',
          fr: 'Limiter ou reprendre',
        },
        [
          choice('on', { en: 'Restrict', de: 'Einschränken', es: 'Limitar', fr: 'Limiter' }),
          choice('off', { en: 'Resume', de: 'Fortsetzen', es: 'Reanudar', fr: 'Reprendre' }),
        ],
      ),
    ],
  ),
  command(
    'object',
    {
      en: 'Object to one use of your data',
      de: 'Einer Verwendung deiner Daten widersprechen',
      es: 'Oponte a un uso de tus datos',
      fr: 'Vous opposer à une utilisation de vos données',
    },
    [
      stringOption(
        'purpose',
        {
          en: 'The use you object to',
          de: 'Zweck, dem du widersprichst',
          es: 'Finalidad a la que te opones',
          fr: 'Finalité à laquelle vous vous opposez',
        },
        PURPOSES.map((purpose) => choice(purpose, PURPOSE_NAMES[purpose])),
      ),
    ],
  ),
  command('correct', {
    en: 'Correct your stored profile data',
    de: 'Deine gespeicherten Profildaten berichtigen',
    es: 'Corrige los datos de tu perfil',
    fr: 'Rectifier les données de votre profil',
  }),
  command('forgetme', {
    en: 'Forget me: erase all your data',
    de: 'Vergiss mich: alle deine Daten löschen',
    es: 'Olvídame: elimina todos tus datos',
    fr: 'Oubliez-moi : effacer toutes vos données',
  }),
];
