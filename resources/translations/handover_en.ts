<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name>CandidateList</name>
    <message>
        <location filename="../../ui/widgets/verdict_panel.py" line="150" />
        <source>pas de casier</source>
        <translation>no slot</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/verdict_panel.py" line="154" />
        <source>{0} {1} {2} — né(e) le {3}
     {4} — carte {5} — {6} — casier {7}</source>
        <translation>{0} {1} {2} — born {3}
     {4} — card {5} — {6} — slot {7}</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../ui/error_reporting.py" line="53" />
        <source>Guichet — erreur inattendue</source>
        <translation>Counter — unexpected error</translation>
    </message>
    <message>
        <location filename="../../ui/error_reporting.py" line="61" />
        <source>Détail dans le journal :</source>
        <translation>Details in the log file:</translation>
    </message>
</context>
<context>
    <name>HandoverWizard</name>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="185" />
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="186" />
        <location filename="../../ui/widgets/handover_wizard.py" line="428" />
        <source>Continuer (Entrée)</source>
        <translation>Continue (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="212" />
        <source>Scannez la bande MRZ ou le 2D-Doc de la pièce, ou tapez son numéro</source>
        <translation>Scan the document's MRZ or 2D-Doc, or type its number</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="225" />
        <source>Type de pièce</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="226" />
        <source>Pays (3 lettres)</source>
        <translation>Country (3 letters)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="227" />
        <source>Numéro</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="244" />
        <source>Scannez ou tapez chaque timbre (16 chiffres), puis Entrée</source>
        <translation>Scan or type each stamp (16 digits), then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="256" />
        <source>Retirer le dernier timbre</source>
        <translation>Remove the last stamp</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="280" />
        <source>Scannez la bande MRZ de l'ancienne carte, ou tapez son numéro</source>
        <translation>Scan the old card's MRZ, or type its number</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="282" />
        <source>Carte perdue ou volée (F6)</source>
        <translation>Card lost or stolen (F6)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="285" />
        <source>Numéro du récépissé de déclaration</source>
        <translation>Police report number</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="308" />
        <source>Tournez l'écran ou la tablette vers le titulaire. Entrée quand il a signé.</source>
        <translation>Turn the screen or tablet towards the holder. Enter once they have signed.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="314" />
        <source>Effacer</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="315" />
        <source>Annuler le dernier trait</source>
        <translation>Undo last stroke</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="344" />
        <source>Scannez la bande MRZ au dos de la carte sortie du casier</source>
        <translation>Scan the MRZ on the back of the card taken from the slot</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="446" />
        <source>Carte du casier et remise</source>
        <translation>Card from the slot and handover</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="783" />
        <source>MAUVAISE CARTE : ne la remettez pas. Scannez la bonne carte, ou faites venir le chef d'accueil (F4).</source>
        <translation>WRONG CARD: do not hand it over. Scan the right card, or call the supervisor (F4).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="787" />
        <source>Scannez d'abord la carte sortie du casier (bande MRZ au dos). Carte illisible : chef d'accueil (F4).</source>
        <translation>First scan the card taken from the slot (MRZ on the back). Unreadable card: supervisor (F4).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="844" />
        <source>Carte n° {0}, casier {1}</source>
        <translation>Card no. {0}, slot {1}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="851" />
        <source>⚠ CARTE NON VÉRIFIÉE — remise autorisée par le chef d'accueil ({0}). Comparez le nom et le numéro imprimés sur la carte avant de la remettre.</source>
        <translation>⚠ CARD NOT VERIFIED — handover allowed by the supervisor ({0}). Compare the name and number printed on the card before handing it over.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="855" />
        <source>Entrée pour enregistrer la remise.</source>
        <translation>Enter to record the handover.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="857" />
        <source>✓ BONNE CARTE — numéro, nom et date de naissance concordent</source>
        <translation>✓ RIGHT CARD — number, name and date of birth match</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="859" />
        <source>Entrée pour enregistrer ; remettez la carte quand « REMIS » s'affiche.</source>
        <translation>Enter to record; hand the card over when “HANDED OVER” shows.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="423" />
        <source>Étape {0} sur {1} — Échap : annuler</source>
        <translation>Step {0} of {1} — Esc: cancel</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="426" />
        <source>Enregistrer la remise (Entrée)</source>
        <translation>Record the handover (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="442" />
        <source>Pièce d'identité</source>
        <translation>Identity document</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="443" />
        <source>Timbres fiscaux</source>
        <translation>Tax stamps</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="444" />
        <source>Ancienne carte</source>
        <translation>Previous card</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="445" />
        <source>Signature du titulaire</source>
        <translation>Holder's signature</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="542" />
        <source>✓ Nom conforme</source>
        <translation>✓ Name matches</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="542" />
        <source>✗ NOM DIFFÉRENT</source>
        <translation>✗ NAME DIFFERS</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="545" />
        <source>✓ Date de naissance conforme</source>
        <translation>✓ Date of birth matches</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="547" />
        <source>✗ DATE DE NAISSANCE DIFFÉRENTE</source>
        <translation>✗ DATE OF BIRTH DIFFERS</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="552" />
        <source>Vérifiez la pièce. Entrée pour continuer malgré tout.</source>
        <translation>Check the document. Enter to continue anyway.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="561" />
        <source>Scannez la pièce d'identité ou tapez son numéro.</source>
        <translation>Scan the identity document or type its number.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="586" />
        <source>Reçu {0} sur {1} dus</source>
        <translation>Received {0} of {1} due</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="599" />
        <source>Ce n'est pas un numéro de timbre fiscal (16 chiffres). Rescannez.</source>
        <translation>This is not a tax stamp number (16 digits). Scan again.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="604" />
        <source>Ce timbre (…{0}) est déjà compté pour cette remise.</source>
        <translation>This stamp (…{0}) is already counted for this handover.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="626" />
        <source>Montant du timbre …{0} (Entrée pour valider) :</source>
        <translation>Amount of stamp …{0} (Enter to confirm):</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="638" />
        <source>Montant non compris : tapez par exemple 225 ou 25,00.</source>
        <translation>Amount not understood: type for example 225 or 25.00.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="663" />
        <source>Tapez le montant du timbre, puis Entrée.</source>
        <translation>Type the stamp's amount, then Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="668" />
        <source>Il manque {0} : scannez le timbre suivant.</source>
        <translation>{0} missing: scan the next stamp.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="683" />
        <source>✓ Ancienne carte n° {0} reprise</source>
        <translation>✓ Previous card no. {0} taken back</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="700" />
        <source>Tapez le numéro de la déclaration de perte ou de vol.</source>
        <translation>Type the number of the loss or theft report.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="707" />
        <source>Scannez l'ancienne carte, ou cochez « perdue ou volée » (F6) et tapez le numéro de déclaration.</source>
        <translation>Scan the previous card, or tick “lost or stolen” (F6) and type the report number.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="723" />
        <source>Signature : recueillie</source>
        <translation>Signature: collected</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="732" />
        <source>saisie à la main</source>
        <translation>typed by hand</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="734" />
        <source>✓ nom et date de naissance conformes</source>
        <translation>✓ name and date of birth match</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="736" />
        <source>✗ NE CORRESPOND PAS au titulaire</source>
        <translation>✗ DOES NOT MATCH the holder</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="738" />
        <source>Pièce : {0} {1} n° {2} ({3})</source>
        <translation>Document: {0} {1} no. {2} ({3})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="747" />
        <source>Timbres : {0} pour {1}, {2} dus</source>
        <translation>Stamps: {0} for {1}, {2} due</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="753" />
        <source>Ancienne carte n° {0} reprise</source>
        <translation>Previous card no. {0} taken back</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="756" />
        <source>Ancienne carte perdue ou volée, déclaration {0}</source>
        <translation>Previous card lost or stolen, report {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="779" />
        <source>Une étape n'est pas terminée : reprenez avec Échap.</source>
        <translation>A step is not finished: start again with Esc.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="865" />
        <source>Scannez la bonne carte ; si la carte est bien la sienne mais illisible ou différente, chef d'accueil (F4).</source>
        <translation>Scan the right card; if the card is really theirs but unreadable or different, supervisor (F4).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/handover_wizard.py" line="872" />
        <source>Si c'est la bonne carte, la remise est enregistrée aussitôt. Carte illisible : chef d'accueil (F4).</source>
        <translation>If it is the right card, the handover is recorded at once. Unreadable card: supervisor (F4).</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="129" />
        <source>Session verrouillée</source>
        <translation>Session locked</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="135" />
        <source>Mot de passe, puis Entrée</source>
        <translation>Password, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="140" />
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="142" />
        <source>Changer d'agent (fermer la session)</source>
        <translation>Change agent (log out)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="168" />
        <source>{0} : saisissez votre mot de passe pour reprendre.</source>
        <translation>{0}: type your password to resume.</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="83" />
        <source>Version {0}</source>
        <translation>Version {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="38" />
        <source>Guichet — remise des titres de séjour</source>
        <translation>Counter — residence permit handover</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="52" />
        <source>Passez votre badge devant le lecteur</source>
        <translation>Hold your badge to the reader</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="60" />
        <source>Se connecter</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="64" />
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="65" />
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/login_page.py" line="67" />
        <source>ou badge</source>
        <translation>or badge</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="76" />
        <source>Guichet — remise des titres de séjour</source>
        <translation>Counter — residence permit handover</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="106" />
        <source>Aujourd'hui (F9)</source>
        <translation>Today (F9)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="107" />
        <source>Back-office (F10)</source>
        <translation>Back office (F10)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="107" />
        <source>Verrouiller (Ctrl+L)</source>
        <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="108" />
        <source>Se déconnecter</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="118" />
        <source>Scan :</source>
        <translation>Scan:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="387" />
        <source>ERREUR — vérification impossible</source>
        <translation>ERROR — cannot check</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="388" />
        <source>Rien n'a été enregistré. Rescannez quand le problème est réglé.</source>
        <translation>Nothing was recorded. Scan again once the problem is fixed.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="410" />
        <location filename="../../ui/main_window.py" line="571" />
        <source>Ouverture hors horaires : chef d'accueil (F4)</source>
        <translation>Out-of-hours opening: supervisor (F4)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="412" />
        <source>Autorisation du chef d'accueil (F4)</source>
        <translation>Supervisor approval (F4)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="513" />
        <source>Remise hors horaires</source>
        <translation>Out-of-hours handover</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="515" />
        <source>Le guichet est fermé. Un chef d'accueil peut prolonger l'ouverture, par exemple pour les personnes déjà dans la file. Le motif est enregistré.</source>
        <translation>The counter is closed. A supervisor may extend the opening, for example for people already queuing. The reason is recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="448" />
        <source>Autorisation du chef d'accueil</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="94" />
        <source>Caméra (F2)</source>
        <translation>Camera (F2)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="138" />
        <source>Caméra — F2 pour l'arrêter</source>
        <translation>Camera — F2 to stop it</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="321" />
        <source>↑ ↓ puis Entrée, ou le chiffre de la ligne ; Échap : revenir au scan.</source>
        <translation>↑ ↓ then Enter, or the line number; Esc: back to scanning.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="431" />
        <source>Prolongation accordée : Entrée pour enregistrer.</source>
        <translation>Extension granted: Enter to record.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="450" />
        <source>Ce titre ne peut pas être remis sans l'accord d'un chef d'accueil : {0}. Le motif est enregistré.</source>
        <translation>This permit cannot be handed over without a supervisor's approval: {0}. The reason is recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="477" />
        <source>Carte non vérifiée</source>
        <translation>Card not verified</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="479" />
        <source>La carte sortie du casier n'a pas été reconnue comme celle de ce titre (mauvaise carte, ou bande MRZ illisible). Le chef d'accueil vérifie la carte lui-même avant d'autoriser la remise. Le motif est enregistré.</source>
        <translation>The card taken from the slot was not recognised as this permit's card (wrong card, or unreadable MRZ). The supervisor checks the card in person before allowing the handover. The reason is recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="490" />
        <source>CARTE NON VÉRIFIÉE — remise autorisée</source>
        <translation>CARD NOT VERIFIED — handover allowed</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="492" />
        <source>Autorisation du chef d'accueil enregistrée.</source>
        <translation>Supervisor's authorisation recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="493" />
        <source>Comparez le nom et le numéro sur la carte, puis Entrée pour enregistrer.</source>
        <translation>Compare the name and number on the card, then Enter to record.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="504" />
        <source>Carte : autorisation du chef d'accueil (F4)</source>
        <translation>Card: supervisor's authorisation (F4)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="537" />
        <source>Remise annulée</source>
        <translation>Handover cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="538" />
        <source>Rien n'a été enregistré. Scannez la référence suivante.</source>
        <translation>Nothing was recorded. Scan the next reference.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="548" />
        <source>REMIS — reçu {0}</source>
        <translation>HANDED OVER — receipt {0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="551" />
        <source>✓ Carte n° {0} vérifiée</source>
        <translation>✓ Card no. {0} verified</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="553" />
        <source>⚠ Carte non vérifiée (autorisation du chef d'accueil)</source>
        <translation>⚠ Card not verified (supervisor's authorisation)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="554" />
        <source>Remettez la carte. Scannez la référence suivante.</source>
        <translation>Hand the card over. Scan the next reference.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="564" />
        <source>NON ENREGISTRÉ — gardez la carte</source>
        <translation>NOT RECORDED — keep the card</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="565" />
        <source>Rien n'a été enregistré. Entrée pour réessayer, Échap pour annuler.</source>
        <translation>Nothing was recorded. Enter to retry, Esc to cancel.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="576" />
        <source>Reçu {0} : {1}</source>
        <translation>Receipt {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="581" />
        <source>REÇU {0} NON IMPRIMÉ (la remise est enregistrée) : {1} </source>
        <translation>RECEIPT {0} NOT PRINTED (the handover is recorded): {1} </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="584" />
        <source>Réglez l'imprimante puis réimprimez depuis « Aujourd'hui » (F9).</source>
        <translation>Fix the printer, then reprint from “Today” (F9).</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="604" />
        <source>Liste du jour indisponible. {0}</source>
        <translation>Today's list is unavailable. {0}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="610" />
        <source>Duplicata du reçu {0} demandé.</source>
        <translation>Duplicate of receipt {0} requested.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="83" />
        <source>Le titulaire n'a pas encore signé.</source>
        <translation>The holder has not signed yet.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="92" />
        <source>Signature trop courte : demandez au titulaire de signer en entier.</source>
        <translation>Signature too short: ask the holder to sign in full.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="229" />
        <source>Signez ici</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="78" />
        <source>Chef d'accueil</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="79" />
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="80" />
        <source>Motif (obligatoire)</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="82" />
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="87" />
        <source>Autoriser</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="90" />
        <source>Annuler (Échap)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="110" />
        <source>Le chef d'accueil saisit son identifiant et son mot de passe.</source>
        <translation>The supervisor types their username and password.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/supervisor_dialog.py" line="113" />
        <source>Écrivez le motif : il est enregistré avec l'autorisation.</source>
        <translation>Write the reason: it is recorded with the approval.</translation>
    </message>
</context>
<context>
    <name>TodayDialog</name>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="40" />
        <source>Remises d'aujourd'hui</source>
        <translation>Today's handovers</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="45" />
        <source>Remises d'aujourd'hui à ce guichet : {0}</source>
        <translation>Today's handovers at this desk: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="50" />
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="50" />
        <source>Reçu</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="50" />
        <source>Référence</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="50" />
        <source>Titulaire</source>
        <translation>Holder</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="72" />
        <source>Réimprimer le reçu (duplicata)</source>
        <translation>Reprint the receipt (duplicate)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="75" />
        <source>Fermer (Échap)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/today_dialog.py" line="95" />
        <source>Choisissez une remise dans la liste.</source>
        <translation>Choose a handover in the list.</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <location filename="../../ui/widgets/verdict_panel.py" line="68" />
        <source>Scannez la référence du SMS</source>
        <translation>Scan the reference from the SMS</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/verdict_panel.py" line="69" />
        <source>ou le numéro étranger, puis Entrée</source>
        <translation>or the foreign national number, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/verdict_panel.py" line="76" />
        <source>Saisie corrigée (clavier) : {0}</source>
        <translation>Input corrected (keyboard): {0}</translation>
    </message>
</context>
<context>
    <name>WindowBanner</name>
    <message>
        <location filename="../../ui/widgets/window_banner.py" line="64" />
        <source>Remises aujourd'hui : {0}</source>
        <translation>Handovers today: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/window_banner.py" line="80" />
        <source>OUVERT jusqu'à {0} ({1})</source>
        <translation>OPEN until {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/window_banner.py" line="86" />
        <source>FERMÉ — prolongation accordée jusqu'à {0}</source>
        <translation>CLOSED — extension granted until {0}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/window_banner.py" line="89" />
        <source>FERMÉ — {0}</source>
        <translation>CLOSED — {0}</translation>
    </message>
</context>
</TS>