import type { BotCommandSpec } from './commands';

/**
 * The menu Telegram shows next to the text field. Names stay English in every language because
 * the engine's help text quotes them and people move between channels; descriptions are
 * translated. /privacy must stay listed: when no privacy-policy URL is set in BotFather, Telegram
 * apps send /privacy for "Privacy Policy" on the bot's profile only if the bot lists it
 * (https://core.telegram.org/constructor/botInfo, privacy_policy_url).
 */
export const TELEGRAM_COMMAND_MENU: readonly BotCommandSpec[] = [
  {
    command: 'start',
    description: {
      en: 'Start the bot and read the privacy notice',
      de: 'Bot starten und den Datenschutzhinweis lesen',
      es: 'Inicia el bot y lee el aviso de privacidad',
      fr: 'Démarrer le bot et lire l’avis de confidentialité',
    },
  },
  {
    command: 'privacy',
    description: {
      en: 'Privacy notice: what is stored, why, for how long, your rights',
      de: 'Datenschutzhinweis: was gespeichert wird, warum, wie lange, deine Rechte',
      es: 'Aviso de privacidad: qué se guarda, por qué, cuánto tiempo, tus derechos',
      fr: 'Avis de confidentialité : ce qui est conservé, pourquoi, combien de temps, vos droits',
    },
  },
  {
    command: 'consent',
    description: {
      en: 'Review or change what you agreed to',
      de: 'Einwilligungen ansehen oder ändern',
      es: 'Revisa o cambia tus consentimientos',
      fr: 'Consulter ou modifier vos consentements',
    },
  },
  {
    command: 'stop',
    description: {
      en: 'Withdraw every consent: nothing more is stored',
      de: 'Alle Einwilligungen widerrufen: nichts mehr speichern',
      es: 'Retira todos los consentimientos: no se guarda nada más',
      fr: 'Retirer tous les consentements : plus rien n’est conservé',
    },
  },
  {
    command: 'mydata',
    description: {
      en: 'See what the bot stores about you',
      de: 'Ansehen, was der Bot über dich speichert',
      es: 'Consulta qué guarda el bot sobre ti',
      fr: 'Voir ce que le bot conserve sur vous',
    },
  },
  {
    command: 'export',
    description: {
      en: 'Download your data as a JSON file',
      de: 'Deine Daten als JSON-Datei herunterladen',
      es: 'Descarga tus datos en un archivo JSON',
      fr: 'Télécharger vos données dans un fichier JSON',
    },
  },
  {
    command: 'correct',
    description: {
      en: 'Correct what the bot stores about you',
      de: 'Gespeicherte Angaben berichtigen',
      es: 'Corrige los datos que se guardan sobre ti',
      fr: 'Corriger les données conservées sur vous',
    },
  },
  {
    command: 'delete',
    description: {
      en: 'Delete your stored data',
      de: 'Deine gespeicherten Daten löschen',
      es: 'Elimina tus datos guardados',
      fr: 'Supprimer vos données enregistrées',
    },
  },
  {
    command: 'restrict',
    description: {
      en: 'Keep your data but pause its processing',
      de: 'Daten behalten, aber die Verarbeitung anhalten',
      es: 'Conserva tus datos pero pausa su tratamiento',
      fr: 'Garder vos données mais suspendre leur traitement',
    },
  },
  {
    command: 'object',
    description: {
      en: 'Object to one use of your data',
      de: 'Einer Verwendung deiner Daten widersprechen',
      es: 'Oponte a un uso de tus datos',
      fr: 'Vous opposer à un usage de vos données',
    },
  },
  {
    command: 'language',
    description: {
      en: 'Change the language',
      de: 'Sprache ändern',
      es: 'Cambia el idioma',
      fr: 'Changer de langue',
    },
  },
  {
    command: 'help',
    description: {
      en: 'List the commands',
      de: 'Alle Befehle anzeigen',
      es: 'Lista de comandos',
      fr: 'Liste des commandes',
    },
  },
];
