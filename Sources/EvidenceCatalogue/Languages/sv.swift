// Gränssnittet på svenska. Skrivet för den som läser svenska men inte är van vid datorer: korta meningar,
// vardagliga ord, du-tilltal. Samma platshållare ({namn}) som i en.swift.

extension Catalogue {
  /// Svenska.
  public static let swedish = Catalogue(
    code: "sv", name: "Svenska",
    wordings: [
      // Around every command
      .diagnosticError: "fel",
      .diagnosticHint: "tips",
      .diagnosticWarning: "varning",
      .rootAbstract: "En krypterad dagbok över det som hänt dig, sparad till den dag du gör en polisanmälan.",
      .rootDiscussion: """
      Allt krypteras med din lösenfras. Inget du skriver sparas okrypterat.
      Är du i fara nu, ring 112.
      Kör programmet utan kommando i en terminal för att få en meny. --ui-lang sv eller --ui-lang en väljer \
      språk (även EVIDENCE_LANG); dagboken kommer ihåg valet.
      """,
      .commandLineMistakeHint: "`{program} help` visar kommandona; `{program} help <kommando>` förklarar ett av dem.",
      .commandLineMistake: "Kommandot gick inte att förstå (på engelska: {detail})",
      .unknownInterfaceLanguage: "Det finns inget gränssnitt på \"{given}\": --ui-lang tar något av {codes}.",
      .interfaceLanguageMissing: "--ui-lang behöver ett språk: --ui-lang sv eller --ui-lang en.",
      .interfaceLanguageNotKept: "Språkvalet kunde inte sparas i dagbokens mapp ({reason}).",
      .coreDumpsNotOff:
        "Minnesdumpar kunde inte stängas av: om programmet kraschar kan innehållet i dess minne skrivas till disken.",
      .helpOverview: "ÖVERSIKT:",
      .helpUsage: "ANVÄNDNING:",
      .helpArguments: "ARGUMENT:",
      .helpOptions: "VAL:",
      .helpSubcommands: "KOMMANDON:",
      .helpShowHelp: "Visa hjälpen.",
      .helpShowVersion: "Visa versionen.",

      // Errors of the journal
      .errorWrongPassphrase: "Lösenfrasen är fel (eller så har dagbokens huvudfil ändrats).",
      .errorWrongPassphraseHint: "Kontrollera Caps Lock och tangentbordets språk (å, ä, ö), och försök igen.",
      .errorBusy: "Dagboken används just nu av ett annat evidence-kommando.",
      .errorBusyHint: "Vänta tills det är klart och försök sedan igen.",

      // Answers
      .yesNoDefaultYes: "[J/n]",
      .yesNoDefaultNo: "[j/N]",
      .yesWords: "j ja",
      .noWords: "n nej",
      .answerYesOrNo: "Svara j (ja) eller n (nej).",

      // Passphrase
      .passphrasePrompt: "Lösenfras: ",
      .passphraseTryAgain: .plural(
        one: "Den lösenfrasen öppnar inte dagboken. Försök igen (1 försök kvar).",
        other: "Den lösenfrasen öppnar inte dagboken. Försök igen ({count} försök kvar)."),

      // The commands' one-line help
      .abstractPasswd: "Byt lösenfras; med --rekey även nycklarna.",
      .abstractList: "Visa händelserna i den ordning de hände.",
      .abstractDecrypt: "Dekryptera en age-fil (.age): en förseglad export, eller vilken fil som helst gjord med age.",
      .abstractWipe: "Förstör dagboken på den här datorn, i en nödsituation. Det går inte att ångra.",
      .abstractPerson: "Personerna i din dagbok: vem som gjorde vad, vem som såg det.",
      .abstractPersonAdd: "Lägg till en person.",
      .abstractPersonAmend:
        "Lägg till ett nummer, ett annat namn, en adress eller ett användarnamn för en person, eller ändra namn, relation eller anteckningar.",
      .abstractPersonList: "Visa personerna.",
      .abstractMessage: "Spara ett hot eller ett annat meddelande du fått, för hand.",
      .abstractMessageAdd: "Spara ett meddelande: vem som skickade det, när, och exakt vad det stod.",
      .abstractMessages: "Visa sparade meddelanden i den ordning de skickades.",
      .abstractAccess: "Visa varje fel lösenfras som getts till dagboken: när, med vilket kommando och hur.",
      .abstractUpgrade: "Skriv om en dagbok från en tidigare version till det nyaste formatet.",
      .abstractShow: "Visa en händelse i sin helhet.",
      .abstractCard: "Skriv ut ett kort att ge den som kontrollerar din export: dagbokens fingeravtryck och ankarkod.",
      .abstractAttach: "Bifoga foton, skärmbilder, inspelningar eller dokument till en händelse, som bilagor.",
      .abstractAttachments: "Visa bilagorna: nummer, namn, typ, storlek, SHA-256, när de togs och när de lades till.",
      .abstractExtract: "Dekryptera en bilaga till en ny fil och kontrollera dess SHA-256. Skriver aldrig över något.",
      .abstractNote: "Skriv en snabbanteckning utan lösenfras; den läggs till i dagboken nästa gång du öppnar den.",
      .abstractImport: "Hämta meddelanden från en export från telefonen eller en app. Allt, eller inget.",
      .abstractBackup: "Spara en krypterad kopia av dagboken på en annan disk, eller kontrollera en.",
      .abstractRestore: "Återskapa en dagbok från en säkerhetskopia, i en ny mapp.",
      .abstractVerify: "Kontrollera varje post och hashkedjan; säger OK med huvudet, eller exakt vad som är fel.",
      .abstractAnchor:
        "Skriv ut en kort kod för dagboken som den är nu, att skicka till någon du litar på; eller kontrollera en.",

      // `init`
      .initAbstract: "Skapa en ny, tom dagbok skyddad av en lösenfras.",
      .initWhere: """
      Var ska din dagbok sparas?
        Tryck på Enter för {folder}: en dold mapp i din hemmapp, vars namn inte säger vad den innehåller.
        Eller skriv en annan mapp, till exempel på ett USB-minne som du har med dig; ge den sedan till varje
        kommando med --vault MAPP.
      """,
      .initFolder: "Mapp [{folder}]:",
      .initCreated: "En ny dagbok är skapad i {folder}.",
      .initGiveFolder:
        "Ge den här mappen till varje kommando: {program} list --vault {folder} (eller sätt EVIDENCE_VAULT).",
      .initFingerprint: "Dagbokens fingeravtryck: {fingerprint}",
      .initRemember: "Kom ihåg din lösenfras: utan den kan ingen, inte ens du, läsa dagboken.",
      .newPassphrasePrompt: "Ny lösenfras: ",
      .newPassphraseAgain: "Skriv den igen: ",
      .newPassphraseTooShort: "Lösenfrasen är för kort: använd minst {count} tecken.",
      .newPassphraseTooShortHint: "Några ord som inte hör ihop är lätta att minnas och svåra att gissa.",
      .newPassphrasesDiffer: "De två lösenfraserna var inte lika; inget ändrades.",
      .newPassphrasesDifferHint: "Försök igen.",
      .newPassphraseAskAgain: "Välj den igen.",

      // The guided questions of `add`
      .guidedIntro: "Svara på varje fråga och tryck på Enter.",
      .guidedIntroResumed:
        "Det du svarade förra gången står inom [hakparentes]: tryck på Enter för att behålla det, eller skriv ett nytt svar.",
      .guidedControls: "Ett tomt svar hoppar över frågan, ? förklarar den, < går tillbaka en fråga.",
      .guidedCannotGoBack: "Det här är första frågan.",
      .guidedAskWhen: "När hände det? (t.ex. igår 22:00, i måndags, 28/11 22.30)",
      .guidedExplainWhen: """
      Datum och tid då det hände, så gott du minns. Du kan skriva ett datum (28/11, 28 nov, 2026-11-28), en \
      tid (kl 22, 22:30), en dag (igår, i förrgår, i måndags, i morse, igår kväll, för 3 dagar sedan) eller en \
      månad (november 2026). Är du osäker, skriv det du vet: nästa fråga är om tiden är ungefärlig.
      """,
      .guidedWhenNeeded:
        "Det behövs en tid för när det hände. Minns du inte dagen, skriv månaden (november 2026) och svara j på nästa fråga.",
      .guidedWhenNotUnderstood: "\"{text}\" kan jag inte läsa som en tid. Skriv till exempel: igår 22:00, 28/11 22.30.",
      .guidedWhenInFuture: "\"{text}\" ligger i framtiden. Skriv när det hände.",
      .guidedWhenFarBack: "Stämmer året {year}?",
      .guidedAskGuess: "Är tiden ungefärlig? [j/N]",
      .guidedExplainGuess: "Svara j om du inte är säker på tiden: då står den som ungefärlig i underlaget.",
      .guidedAskWhere: "Var hände det?",
      .guidedExplainWhere: "En adress, en plats eller en beskrivning (hemma, i hans bil). Lämna tomt om du inte vet.",
      .guidedCategoriesIntro: "Vad var det? {list}",
      .guidedAskCategories: "Nummer eller ord, med komma emellan:",
      .guidedExplainCategories: """
      Vilken sorts händelse det var, så att polisen ser mönstret. Skriv ett eller flera nummer från listan \
      (1, 3) eller ord (hot, misshandel, skuld). Lämna tomt om inget passar.
      """,
      .guidedNotACategory: "\"{text}\" är inte ett av slagen. Skriv ett nummer från listan, eller något av: {names}.",
      .guidedPeopleInJournal: "Personer i din dagbok: {names}",
      .guidedAskPerpetrators: "Vem gjorde det? (namn, med komma emellan)",
      .guidedExplainPerpetrators: """
      Den eller de som gjorde det, med namn eller ett namn du kallar dem. Den som inte finns i din dagbok än \
      kan läggas till nu. Lämna tomt om du inte vet vem det var.
      """,
      .guidedAskWitnesses: "Vem såg eller hörde det?",
      .guidedExplainWitnesses:
        "Personer som såg eller hörde vad som hände och kan berätta det för polisen. Lämna tomt om ingen gjorde det.",
      .guidedPersonNotInJournal: "{name} finns inte i din dagbok än. Vill du lägga till {name} nu?",
      .guidedAskRelation: "Vem är {name} för dig? (t.ex. före detta partner, arbetsgivare, granne)",
      .guidedAskPhone: "Telefonnummer till {name}, om du vet det:",
      .guidedNotAPhone: "\"{text}\" är inte ett telefonnummer ({reason}). Lämna tomt om du inte vet det.",
      .guidedPersonAdded: "{name} finns nu i din dagbok.",
      .guidedPersonLeftOut: "Skriv då namnen igen utan {name}, eller lägg till {name} senare med `person add`.",
      .guidedAskTitle: "Några ord som säger vad som hände (en rubrik):",
      .guidedExplainTitle: "En kort rad som syns i listan och i underlaget, t.ex. \"Hot i trapphuset\".",
      .guidedTitleNeeded: "En rubrik behövs; några ord räcker.",
      .guidedNarrativeIntro: "Vad hände? Skriv med egna ord, så mycket du minns.",
      .guidedNarrativeBefore: "Det du skrev förra gången:",
      .guidedNarrativeGoOn: "Fortsätt skriva där du slutade.",
      .guidedNarrativeEnd: "  (avsluta med en rad med bara en punkt, eller Ctrl-D)",
      .guidedAskInjuries: "Skador, om det finns några:",
      .guidedExplainInjuries:
        "Skador eller smärta, och var på kroppen, t.ex. \"blåmärke på vänster arm\". Foton kan du bifoga sedan.",
      .guidedAskAmounts: "Pengar som krävdes eller togs, om några (t.ex. krävt:2500):",
      .guidedExplainAmounts: """
      Pengar det gällde: krävt:2500, betalt:300 EUR, innehållet:8000 (lön som inte betalades), tagit:1500. \
      Flera med komma emellan; valutan är kronor om du inte skriver en annan.
      """,
      .guidedNotAnAmount:
        "\"{text}\" är inte ett belopp. Skriv till exempel krävt:2500, betalt:300 EUR eller tagit:1500.",
      .guidedAskFiles: "Foton eller filer att bifoga (sökvägar, med komma emellan):",
      .guidedExplainFiles: """
      Foton av skador eller förstörda saker, skärmbilder, inspelningar, dokument: sökvägen till varje fil, t.ex. \
      ~/Bilder/arm.jpg. Filerna krypteras in i dagboken; originalen ligger kvar där de är.
      """,
      .guidedNoSuchFile: "Det finns ingen fil på {path}.",
      .guidedSaveEntry: "Spara händelsen?",
      .draftLabelWhen: "När",
      .draftLabelWhere: "Var",
      .draftLabelWhat: "Vad",
      .draftLabelWhoDidIt: "Vem gjorde det",
      .draftLabelWhoSaw: "Vem såg det",
      .draftLabelInjuries: "Skador",
      .draftLabelMoney: "Pengar",

      // The guided questions of `message add`
      .guidedAskChannel: "Hur kom det? ({list})",
      .guidedExplainChannel:
        "Hur meddelandet nådde dig: sms för ett textmeddelande, call för ett samtal, voicemail för ett meddelande på röstbrevlådan.",
      .guidedNotAChannel: "\"{text}\" är inget av sätten. Skriv något av: {list}.",
      .guidedAskSender: "Vem skickade det? (ett namn i din dagbok, ett telefonnummer, en e-postadress)",
      .guidedExplainSender:
        "Avsändaren som din telefon visar den: ett namn, ett nummer som 070-123 45 67, en adress eller ett användarnamn.",
      .guidedAskReceived: "När kom det? (t.ex. igår 22:31, 28/11 22.31)",
      .guidedExplainReceived:
        "Tiden som din telefon visar för meddelandet. Samma sätt att skriva som för en händelse fungerar här.",
      .guidedMessageTextIntro: "Skriv eller klistra in exakt vad det stod, som det var, även stavfel.",
      .guidedMessageNeedsText: "Meddelandets ord behövs; klistra in dem, eller spara en skärmbild med --screenshot.",
      .guidedAskMessageEntry: "Vilken händelse hör det till? (dess nummer, t.ex. 3; tomt för ingen)",
      .guidedExplainMessageEntry:
        "Om meddelandet gäller något du skrivit ner, knyter numret ihop dem i underlaget. `list` visar numren.",
      .guidedNotAnEntry: "\"{text}\" är inte ett händelsenummer.",
      .messageSaved: "Meddelande M{number} är sparat.",

      // `add`
      .addAbstract: "Skriv ner en händelse.",
      .addDiscussion: """
      I en terminal utan val frågar det steg för steg: när, var, vem, vad som hände.
      I skript: ge minst --when, --title och --narrative-file (- läser från standard in).
      """,
      .addKeptForLater: "Det du skrev är sparat: nästa `{program} add` erbjuder dig att fortsätta.",
      .addNotSaved: "Inte sparad. {kept}",
      .addNothingToSave:
        "Inget att spara: beskriv händelsen med val, eller kör `evidence add` i en terminal för att få frågor steg för steg.",
      .addNothingToSaveHint: "Till exempel: {program} add --when \"igår 22:00\" --title \"Hot\" --narrative-file -",
      .addSaved: "Händelse #{number} är sparad.",
      .addSavedExhibit: "{file} är sparad som bilaga {label}.",

      // Drafts
      .draftContinue: "Du har {what} som inte blev klar, från {when}. Vill du fortsätta med den?",
      .draftEntry: "en händelse",
      .draftMessage: "ett meddelande",
      .draftKeepAsNote: "Vill du spara det du skrev då som en snabbanteckning i stället?",
      .draftKeptAsNote: "Sparad som snabbanteckning: händelse #{number}.",
      .draftDiscard: "Vill du slänga det? Det du skrev då försvinner.",
      .draftDiscarded: "Slängt.",
      .draftKeptForLater: "Sparat till senare: nästa `{program} {command}` erbjuder det igen.",
      .draftCannotKeep: "Det du skriver kan inte sparas som utkast ({reason}); det sparas först i slutet.",
      .draftCannotKeepNow: "Det du skriver kan inte sparas som utkast just nu: {reason}",

      // Notices at unlock
      .noticeWrongPassphrases: .plural(
        one: "Någon skrev fel lösenfras en gång sedan du senast öppnade dagboken: {times}.",
        other: "Någon skrev fel lösenfras {count} gånger sedan du senast öppnade dagboken: {times}."),
      .noticeNoBackup:
        "Det finns ingen säkerhetskopia av dagboken än. `{program} backup --to <mapp>` sparar en krypterad kopia på ett USB-minne eller i en synkad mapp.",
      .noticeBackupBeforeRekey: "Den senaste säkerhetskopian gjordes innan nycklarna byttes; {missing}",
      .noticeLastBackup: "Senaste säkerhetskopia: {ago}, till {target}; {missing}",
      .noticeRecordsNotInBackup: .plural(one: "1 post finns inte i den.", other: "{count} poster finns inte i den."),
      .noticeEveryRecordInBackup: "alla poster finns i den.",
      .agoToday: "idag",
      .agoYesterday: "igår",
      .agoDays: .plural(one: "för 1 dag sedan", other: "för {count} dagar sedan"),
      .monthAbbreviations: "jan feb mar apr maj jun jul aug sep okt nov dec",

      // The entry as shown on the terminal
      .entryNew: "Ny händelse",
      .entryHappened: "Inträffade",
      .entryApproximate: "(ungefärligt)",
      .entryWrittenDown: "Skrevs ner",
      .entryNoted: "Antecknad",
      .entryQuickNote: "snabbanteckning: inte skyddad av din lösenfras när den skrevs",
      .entryPlace: "Plats",
      .entryCategory: "Slag",
      .entryPeople: "Personer",
      .entryInjuries: "Skador",
      .entryMoney: "Pengar",
      .entryPoliceReference: "Polisens diarienr",
      .entryTags: "Taggar",
      .entryUnknownPerson: "(okänd person)",
      .roleDidIt: "gjorde det",
      .roleWitness: "vittne",
      .roleInvolved: "inblandad",
      .amountDemanded: "krävt",
      .amountPaid: "betalt",
      .amountWithheld: "innehållet",
      .amountTaken: "taget",
      .categoryThreat: "hot",
      .categoryPhysicalViolence: "fysiskt våld",
      .categorySexualViolence: "sexuellt våld",
      .categoryForcedLabour: "tvångsarbete",
      .categoryCoercionIntoCrimeOrBegging: "tvång att begå brott eller tigga",
      .categoryDebtOrMoneyTaken: "skuld eller pengar tagna",
      .categoryDocumentsTaken: "id-handlingar tagna",
      .categoryRestrictionOfMovement: "inlåst eller hindrad att röra sig fritt",
      .categoryStalkingOrSurveillance: "förföljelse eller övervakning",
      .categoryOnlineAbuse: "hot eller kränkningar på nätet",
      .categoryDamageToProperty: "skadegörelse",
      .categoryOther: "övrigt",

      // The menu
      .menuHeading: "Vad vill du göra?",
      .menuNoJournal: "Du har ingen dagbok än. Vill du skapa en nu?",
      .menuWrite: "Skriv vad som hände",
      .menuMessage: "Spara ett meddelande",
      .menuFile: "Lägg till ett foto eller en fil",
      .menuImport: "Hämta meddelanden från telefonen",
      .menuExport: "Gör en polisanmälan (export)",
      .menuShow: "Visa dagboken",
      .menuHelp: "Hjälp",
      .menuQuit: "Avsluta",
      .menuAsk: "Välj 1–{count}:",
      .menuNotAChoice: "\"{text}\" är inget av valen: skriv ett nummer från 1 till {count}.",
      .menuAskEntryNumber: "Vilken händelse gäller det? (dess nummer, t.ex. 3; tomt för ingen)",
      .menuAskFilePath: "Filen (sökvägen, t.ex. ~/Bilder/foto.jpg):",
      .menuAskImportPath: "Exporten från telefonen eller appen (sökvägen):",
      .menuAskExportFolder: "En ny mapp att skriva anmälan i (t.ex. ~/anmalan):",
      .menuNotANumber: "\"{text}\" är inte ett händelsenummer.",
      .menuHelpText: """
      Allt du skriver krypteras med din lösenfras. Skriv ner vad som hände så snart du kan, bifoga foton av \
      skador och spara hoten du får. När du gör en polisanmälan, välj "Gör en polisanmälan": då skrivs ett \
      underlag som polisen kan läsa och kontrollera.
      Varje val finns också som kommando: `{program} help` visar dem.
      Är du i fara nu, ring 112.
      """,
      .menuBye: "Dagboken är låst.",
    ])
}
