"""The ANTS 2D-Doc field table: every data identifier, its length rule, type and label.

Source: ANTS / France Titres, « Spécifications techniques des codes à barres 2D-Doc »,
version 3.3.7.2 of 11/03/2026 (section 7, data identifiers; section 8, the fields of each
document type; the document type list also has types 29 and B4 of version 3.3.9).

Length rules: ``min_length == max_length`` is a fixed-length field (no separator after it);
``max_length`` None is a terminated field (ends with GS or at the end of the message);
otherwise the field ends with GS unless it reaches ``max_length``.

The section 7 text of version 3.3.7.2 was not at hand: the length rules and character sets
come from public transcriptions of the 3.x table of section 7, checked against the
3.3.7.2 document tables and published examples. Rows marked ``(e)`` were checked against,
or taken from, those examples (when this table was written, their signatures were checked
once against the ANTS test certificate, so the field cuts are the signed ones; that
certificate is not kept in the repository, and the tests sign the examples with a key of
their own). Identifiers in
``_WITHOUT_RULE`` appear in the version 3.3.7.2 document tables, but their length rule
was not in the text available to us: they are read as terminated fields and flagged
``rule_published=False`` (so a reading of them may be uncertain). Some were filled since
from the layout of the specification's published examples of types C8, 23, 22, AD, B3, C9
and 26 (section 9): a field followed by the next identifier without GS is fixed, or at its
maximum; a field followed by GS has a maximum no example shows, and stays unruled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

SPEC_VERSION = "3.3.7.2"


class FieldKind(Enum):
    """The data type of a field; ``label`` is how the specification calls it."""

    TEXT = "alphanumérique"
    DIGITS = "numérique"
    AMOUNT = "nombre décimal"  # digits, decimal comma, minus sign
    CODE = "code d'une liste"  # e.g. 68 Genre: M, F or X
    DATE = "date JJMMAAAA"
    DATE_YMD = "date AAAAMMJJ"
    HEX_DATE = "date hexadécimale"  # days since 2000-01-01, 4 hexadecimal digits
    DATETIME = "date et heure JJMMAAAAHHMM"
    TIME = "heure"

    @property
    def label(self) -> str:
        return self.value


TEXT, DIGITS, AMOUNT, CODE = FieldKind.TEXT, FieldKind.DIGITS, FieldKind.AMOUNT, FieldKind.CODE
DATE, DATE_YMD, HEX_DATE = FieldKind.DATE, FieldKind.DATE_YMD, FieldKind.HEX_DATE
DATETIME, TIME = FieldKind.DATETIME, FieldKind.TIME

# Character classes of the specification, one letter each: M capitals A-Z, C digits,
# E space, S slash, T hyphen, V comma, P full stop, A apostrophe, X hexadecimal, U URL.
_CLASSES = {
    "M": "A-Z",
    "C": "0-9",
    "E": " ",
    "S": "/",
    "T": "\\-",
    "V": ",",
    "P": ".",
    "A": "'",
    "X": "0-9A-F",
    "U": " -~",
}
_KIND_CLASSES = {
    DIGITS: "C",
    AMOUNT: "CVT",
    DATE: "C",
    DATE_YMD: "C",
    HEX_DATE: "X",
    DATETIME: "C",
    TIME: "C",
}


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    """One data identifier; ``max_length`` None means terminated (no maximum)."""

    id: str
    label: str
    min_length: int
    max_length: int | None
    kind: FieldKind = TEXT
    classes: str = "MCE"
    rule_published: bool = True

    @property
    def fixed(self) -> bool:
        return self.min_length == self.max_length

    @property
    def length_rule(self) -> str:
        """The rule in words, as the field table on screen shows it."""
        if self.max_length is None:
            return "variable, terminée par GS"
        if self.fixed:
            return f"fixe, {self.max_length} caractères"
        return f"variable, {self.min_length} à {self.max_length} caractères"

    @property
    def charset(self) -> str:
        """A regular-expression character class body for the field's characters.

        Names and addresses also get the apostrophe and the hyphen: the published examples
        use them (« L'ESPECIMEN JEAN-RENE ») where the table lists letters and spaces only.
        """
        classes = self.classes or _KIND_CLASSES.get(self.kind, "MC")
        if "M" in classes:
            classes += "AT"
        return "".join(_CLASSES[c] for c in dict.fromkeys(classes))

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(f"[{self.charset}]*")


_TABLE: tuple[tuple[str, int, int | None, FieldKind, str, str], ...] = (
    ("01", 0, None, TEXT, "MC", "Identifiant unique du document"),
    ("02", 0, None, TEXT, "MCE", "Catégorie de document"),
    ("03", 0, None, TEXT, "MCE", "Sous-catégorie de document"),
    ("04", 0, None, TEXT, "MCE", "Application de composition"),
    ("05", 0, None, TEXT, "MCE", "Version de l'application de composition"),
    ("06", 4, 4, HEX_DATE, "", "Date de l'association entre le document et le code 2D-Doc"),
    ("07", 6, 6, TIME, "", "Heure de l'association entre le document et le code 2D-Doc"),
    ("08", 4, 4, HEX_DATE, "", "Date d'expiration du document"),
    ("09", 4, 4, DIGITS, "", "Nombre de pages du document"),
    ("0A", 9, 9, DIGITS, "", "Editeur du 2D-Doc"),
    ("0B", 9, 9, DIGITS, "", "Intégrateur du 2D-Doc"),
    ("0C", 0, None, TEXT, "U", "URL du document"),
    (
        "10",
        0,
        38,
        TEXT,
        "MCES",
        "Ligne 1 de la norme adresse postale du bénéficiaire de la prestation",
    ),
    ("11", 0, 38, TEXT, "ME", "Qualité et/ou titre de la personne bénéficiaire de la prestation"),
    ("12", 0, 38, TEXT, "ME", "Prénom de la personne bénéficiaire de la prestation"),
    ("13", 0, 38, TEXT, "ME", "Nom de la personne bénéficiaire de la prestation"),
    (
        "14",
        0,
        38,
        TEXT,
        "MCES",
        "Ligne 1 de la norme adresse postale du destinataire de la facture",
    ),
    ("15", 0, 38, TEXT, "ME", "Qualité et/ou titre de la personne destinataire de la facture"),
    ("16", 0, 38, TEXT, "ME", "Prénom de la personne destinataire de la facture"),
    ("17", 0, 38, TEXT, "ME", "Nom de la personne destinataire de la facture"),
    ("18", 0, None, TEXT, "MC", "Numéro de la facture"),
    ("19", 0, None, TEXT, "MC", "Numéro de client"),
    ("1A", 0, None, TEXT, "MC", "Numéro du contrat"),
    ("1B", 0, None, TEXT, "MC", "Identifiant du souscripteur du contrat"),
    ("1C", 8, 8, DATE, "", "Date d'effet du contrat"),
    ("1D", 0, 16, AMOUNT, "", "Montant TTC de la facture"),
    ("1E", 0, 30, DIGITS, "", "Numéro de téléphone du bénéficiaire de la prestation"),
    ("1F", 0, 30, DIGITS, "", "Numéro de téléphone du destinataire de la facture"),
    (
        "1G",
        1,
        1,
        CODE,
        "C",
        "Présence d'un co-bénéficiaire de la prestation non mentionné dans le code",
    ),
    (
        "1H",
        1,
        1,
        CODE,
        "C",
        "Présence d'un co-destinataire de la facture non mentionné dans le code",
    ),
    (
        "1I",
        0,
        38,
        TEXT,
        "MCES",
        "Ligne 1 de la norme adresse postale du co-bénéficiaire de la prestation",
    ),
    ("1J", 0, 38, TEXT, "ME", "Qualité et/ou titre du co-bénéficiaire de la prestation"),
    ("1K", 0, 38, TEXT, "ME", "Prénom du co-bénéficiaire de la prestation"),
    ("1L", 0, 38, TEXT, "ME", "Nom du co-bénéficiaire de la prestation"),
    (
        "1M",
        0,
        38,
        TEXT,
        "MCES",
        "Ligne 1 de la norme adresse postale du co-destinataire de la facture",
    ),
    ("1N", 0, 38, TEXT, "ME", "Qualité et/ou titre du co-destinataire de la facture"),
    ("1O", 0, 38, TEXT, "ME", "Prénom du co-destinataire de la facture"),
    ("1P", 0, 38, TEXT, "ME", "Nom du co-destinataire de la facture"),
    (
        "20",
        0,
        38,
        TEXT,
        "MCE",
        "Ligne 2 de la norme adresse postale du point de service des prestations",
    ),
    (
        "21",
        0,
        38,
        TEXT,
        "MCE",
        "Ligne 3 de la norme adresse postale du point de service des prestations",
    ),
    (
        "22",
        0,
        38,
        TEXT,
        "MCE",
        "Ligne 4 de la norme adresse postale du point de service des prestations",
    ),
    (
        "23",
        0,
        38,
        TEXT,
        "MC",
        "Ligne 5 de la norme adresse postale du point de service des prestations",
    ),
    ("24", 5, 5, TEXT, "CE", "Code postal ou code cedex du point de service des prestations"),
    (
        "25",
        0,
        32,
        TEXT,
        "M",
        "Localité de destination ou libellé cedex du point de service des prestations",
    ),
    ("26", 2, 2, TEXT, "M", "Pays de service des prestations"),
    ("27", 0, 38, TEXT, "MCE", "Ligne 2 de la norme adresse postale du destinataire de la facture"),
    ("28", 0, 38, TEXT, "MCE", "Ligne 3 de la norme adresse postale du destinataire de la facture"),
    ("29", 0, 38, TEXT, "MCE", "Ligne 4 de la norme adresse postale du destinataire de la facture"),
    ("2A", 0, 38, TEXT, "MC", "Ligne 5 de la norme adresse postale du destinataire de la facture"),
    ("2B", 5, 5, TEXT, "CE", "Code postal ou code cedex du destinataire de la facture"),
    (
        "2C",
        0,
        32,
        TEXT,
        "M",
        "Localité de destination ou libellé cedex du destinataire de la facture",
    ),
    ("2D", 2, 2, TEXT, "M", "Pays du destinataire de la facture"),
    ("30", 0, 140, TEXT, "MCES", "Qualité Nom et Prénom"),
    ("31", 14, 38, TEXT, "MC", "Code IBAN"),
    ("32", 8, 11, TEXT, "MC", "Code BIC/SWIFT"),
    ("33", 0, 30, TEXT, "MC", "Code BBAN"),
    ("34", 2, 2, TEXT, "M", "Pays de localisation du compte"),
    ("35", 14, 34, TEXT, "MC", "Identifiant SEPAmail (QXBAN)"),
    ("36", 4, 4, HEX_DATE, "", "Date de début de période"),
    ("37", 4, 4, HEX_DATE, "", "Date de fin de période"),
    ("38", 0, 11, AMOUNT, "", "Solde compte début de période"),
    ("39", 0, 11, AMOUNT, "", "Solde compte fin de période"),
    ("40", 13, 13, DIGITS, "", "Numéro fiscal"),
    ("41", 0, None, DIGITS, "", "Revenu fiscal de référence"),
    ("42", 0, None, TEXT, "ME", "Situation du foyer"),
    ("43", 0, None, AMOUNT, "", "Nombre de parts"),
    ("44", 13, 13, TEXT, "MC", "Référence d'avis d'impôt"),
    ("45", 4, 4, DIGITS, "", "Année des revenus"),
    ("46", 0, 38, TEXT, "ME", "Déclarant 1"),
    ("47", 13, 13, DIGITS, "", "Numéro fiscal du déclarant 1"),
    ("48", 0, 38, TEXT, "ME", "Déclarant 2"),
    ("49", 13, 13, DIGITS, "", "Numéro fiscal du déclarant 2"),
    ("4A", 8, 8, DATE, "", "Date de mise en recouvrement"),
    ("4B", 8, 8, DATE, "", "Date de la déclaration"),
    ("4C", 8, 8, DATE, "", "Date d'enregistrement"),  # (e)
    ("4D", 0, None, AMOUNT, "", "Montant du don (en €)"),  # (e)
    ("4E", 0, None, AMOUNT, "", "Montant des droits payés (en €)"),  # (e)
    ("4F", 15, 15, TEXT, "MC", "Référence d'enregistrement"),  # (e)
    ("4G", 0, None, TEXT, "MES", "Nom du donataire"),  # (e)
    ("4H", 0, None, TEXT, "MES", "Nom(s) du(es) donateur(s)"),  # (e)
    ("4I", 0, None, AMOUNT, "", "Montant taxable (en €)"),  # (e)
    ("4J", 0, None, AMOUNT, "", "Montant de la cession (en €)"),  # (e)
    ("4K", 0, None, TEXT, "U", "Nom du cessionnaire"),  # (e) « @SPECIMEN@ INCORPORATED »
    ("4L", 0, None, TEXT, "MCES", "Nom du cédant"),  # (e)
    ("4M", 0, None, AMOUNT, "", "Taux applicatif (en %)"),  # (e)
    ("4N", 0, None, TEXT, "MES", "Nom et prénoms du déclarant"),  # (e)
    ("4O", 0, None, TEXT, "MCES", "Adresse du déclarant"),  # (e)
    ("4P", 5, 5, TEXT, "CE", "Code postal du déclarant"),  # (e)
    ("4Q", 0, None, TEXT, "MCE", "Commune du déclarant"),  # (e)
    ("4R", 0, None, TEXT, "MCE", "SIP gestionnaire"),  # (e)
    ("4S", 4, 4, DIGITS, "", "Millésime"),  # (e)
    ("4T", 0, None, TEXT, "MCE", "Administration cantonale suisse"),  # (e)
    ("4U", 0, None, TEXT, "MCE", "Dénomination sociale de l'employeur"),  # (e)
    ("4V", 0, None, AMOUNT, "", "Impôt sur le revenu net (IR)"),
    ("4W", 0, None, AMOUNT, "", "Reste à payer"),  # (e)
    ("4X", 0, None, AMOUNT, "", "Retenue à la source"),
    ("4Y", 0, None, TEXT, "MCES", "Adresse complète du domicile"),
    ("4Z", 0, None, AMOUNT, "", "Prélèvements sociaux nets (PS)"),  # (e)
    ("50", 14, 14, DIGITS, "", "SIRET de l'employeur"),
    ("51", 6, 6, AMOUNT, "", "Nombre d'heures travaillées"),
    ("52", 7, 7, AMOUNT, "", "Cumul du nombre d'heures travaillées"),
    ("53", 4, 4, HEX_DATE, "", "Début de période"),
    ("54", 4, 4, HEX_DATE, "", "Fin de période"),
    ("55", 8, 8, DATE, "", "Date de début de contrat"),
    ("56", 4, 4, HEX_DATE, "", "Date de fin de contrat"),
    ("57", 8, 8, DATE, "", "Date de signature du contrat"),
    ("58", 0, 11, AMOUNT, "", "Salaire net imposable"),
    ("59", 0, 12, AMOUNT, "", "Cumul du salaire net imposable"),
    ("5A", 0, 11, AMOUNT, "", "Salaire brut du mois"),
    ("5B", 0, 12, AMOUNT, "", "Cumul du salaire brut"),
    ("5C", 0, 11, AMOUNT, "", "Salaire net"),
    ("5D", 0, 38, TEXT, "MCE", "Ligne 2 de la norme adresse postale de l'employeur"),
    ("5E", 0, 38, TEXT, "MCE", "Ligne 3 de la norme adresse postale de l'employeur"),
    ("5F", 0, 38, TEXT, "MCE", "Ligne 4 de la norme adresse postale de l'employeur"),
    ("5G", 0, 38, TEXT, "MC", "Ligne 5 de la norme adresse postale de l'employeur"),
    ("5H", 5, 5, TEXT, "CE", "Code postal ou code cedex de l'employeur"),
    ("5I", 0, 32, TEXT, "M", "Localité de destination ou libellé cedex de l'employeur"),
    ("5J", 2, 2, TEXT, "M", "Pays de l'employeur"),
    ("5K", 0, 50, TEXT, "MC", "Identifiant Cotisant Prestations Sociales"),
    ("5L", 9, 14, TEXT, "MC", "Numéro de SIRET ou RNA"),
    ("5M", 0, 38, TEXT, "MCE", "Dénomination sociale"),
    ("5N", 21, 21, DIGITS, "", "Numéro de dossier d'autorisation de travail"),
    ("5O", 0, 38, TEXT, "ME", "Nom de l'employeur"),
    ("5P", 0, 20, TEXT, "ME", "Prénom de l'employeur"),
    ("5Q", 0, 38, TEXT, "ME", "Nom du déclarant"),
    ("5R", 0, 20, TEXT, "ME", "Prénom du déclarant"),
    ("5S", 0, 40, TEXT, "ME", "Fonction du déclarant"),
    ("5T", 1, 1, CODE, "C", "Type de contrat de travail"),
    ("5U", 0, 12, TEXT, "MCE", "Durée du contrat"),
    ("60", 0, 60, TEXT, "MES", "Liste des prénoms"),
    ("61", 0, 20, TEXT, "ME", "Prénom"),
    ("62", 0, 38, TEXT, "ME", "Nom patronymique"),
    ("63", 0, 38, TEXT, "ME", "Nom d'usage"),
    ("64", 0, 38, TEXT, "ME", "Nom d'épouse/époux"),
    ("65", 2, 2, CODE, "MC", "Type de pièce d'identité"),
    ("66", 0, 20, TEXT, "MC", "Numéro de la pièce d'identité"),
    ("67", 2, 2, TEXT, "M", "Nationalité"),
    ("68", 1, 1, CODE, "MC", "Genre"),
    ("69", 8, 8, DATE, "", "Date de naissance"),
    ("6A", 0, 32, TEXT, "MCE", "Lieu de naissance"),
    ("6B", 3, 3, TEXT, "MC", "Département du bureau émetteur"),
    ("6C", 2, 2, TEXT, "M", "Pays de naissance"),
    ("6D", 0, 60, TEXT, "MCES", "Nom et prénom du père"),
    ("6E", 0, 60, TEXT, "MCES", "Nom et prénom de la mère"),
    ("6F", 0, 90, TEXT, "MCE", "Machine Readable Zone (Zone de Lecture Automatique, ZLA)"),
    ("6G", 1, 38, TEXT, "ME", "Nom"),
    ("6H", 1, 10, TEXT, "ME", "Civilité"),
    ("6I", 2, 2, TEXT, "M", "Pays émetteur"),
    ("6J", 1, 1, CODE, "C", "Type de document étranger"),
    ("6K", 19, 19, DIGITS, "", "Numéro de la demande de document étranger"),
    ("6L", 8, 8, DATE, "", "Date de dépôt de la demande"),
    ("6M", 0, 40, TEXT, "ME", "Catégorie du titre"),
    ("6N", 8, 8, DATE, "", "Date de début de validité"),
    ("6O", 8, 8, DATE, "", "Date de fin de validité"),
    ("6P", 0, 40, TEXT, "ME", "Autorisation"),
    ("6Q", 0, 10, TEXT, "MC", "Numéro d'étranger"),
    ("6R", 12, 12, TEXT, "MC", "Numéro de visa"),
    ("6S", 0, 38, TEXT, "MCE", "Ligne 2 de l'adresse postale du domicile"),
    ("6T", 0, 38, TEXT, "MCE", "Ligne 3 de l'adresse postale du domicile"),
    ("6U", 0, 38, TEXT, "MCE", "Ligne 4 de l'adresse postale du domicile"),
    ("6V", 0, 38, TEXT, "MCE", "Ligne 5 de l'adresse postale du domicile"),
    ("6W", 5, 5, TEXT, "CE", "Code postal ou code cedex de l'adresse postale du domicile"),
    ("6X", 0, 32, TEXT, "ME", "Commune de l'adresse postale du domicile"),
    ("6Y", 2, 2, TEXT, "M", "Code pays de l'adresse postale du domicile"),
    ("6Z", 9, 11, TEXT, "MC", "Numéro d'étranger de l'autorisation de travail"),
    ("70", 12, 12, DATETIME, "", "Date et heure du décès"),
    ("71", 12, 12, DATETIME, "", "Date et heure du constat de décès"),
    ("72", 0, 38, TEXT, "ME", "Nom du défunt"),
    ("73", 0, 60, TEXT, "MES", "Prénoms du défunt"),
    ("74", 0, 38, TEXT, "ME", "Nom de jeune fille du défunt"),
    ("75", 8, 8, DATE, "", "Date de naissance du défunt"),
    ("76", 1, 1, CODE, "MC", "Genre du défunt"),
    ("77", 0, 45, TEXT, "ME", "Commune de décès"),
    ("78", 5, 5, TEXT, "CE", "Code postal de la commune de décès"),
    ("79", 0, 114, TEXT, "MCE", "Adresse du domicile du défunt"),
    ("7A", 5, 5, TEXT, "CE", "Code postal du domicile du défunt"),
    ("7B", 0, 45, TEXT, "ME", "Commune du domicile du défunt"),
    ("7C", 1, 1, CODE, "C", "Obstacle médico-légal"),
    ("7D", 1, 1, CODE, "MC", "Mise en bière"),
    ("7E", 1, 1, CODE, "C", "Obstacle aux soins de conservation"),
    ("7F", 1, 1, CODE, "C", "Obstacle aux dons du corps"),
    ("7G", 1, 1, CODE, "C", "Recherche de la cause du décès"),
    ("7H", 2, 2, TEXT, "X", "Délai de transport du corps"),
    ("7I", 1, 1, CODE, "C", "Prothèse avec pile"),
    ("7J", 1, 1, CODE, "C", "Retrait de la pile de prothèse"),
    ("7K", 13, 13, TEXT, "MC", "Code NNC"),
    ("7L", 9, 9, TEXT, "MC", "Code Finess de l'organisme agréé"),
    ("7M", 0, 64, TEXT, "MCE", "Identification du médecin"),
    ("7N", 0, 128, TEXT, "MCE", "Lieu de validation du certificat de décès"),
    ("7O", 1, 1, CODE, "C", "Certificat de décès supplémentaire"),
    ("80", 0, 38, TEXT, "ME", "Nom"),
    ("81", 0, 60, TEXT, "MES", "Prénoms"),
    ("82", 0, 20, TEXT, "MCE", "Numéro de carte"),
    ("83", 0, 40, TEXT, "MCE", "Organisme de tutelle"),
    ("84", 0, 40, TEXT, "MCE", "Profession"),
    ("85", 17, 17, TEXT, "MCT", "Numéro de permis de chasser"),
    ("86", 12, 12, TEXT, "MC", "Numéro de licence"),
    # The proof-of-life certificate (type 23): the fields the published type 23 example
    # shows running into the next identifier without GS. Its GS-ended fields (87, 88,
    # 89, 8B, 8K) have no maximum we could check, and 8E, 8F, 8H are in no example: those
    # stay unruled.
    ("8A", 8, 8, DATE, "", "Assuré - Date de début de campagne"),  # (e)
    ("8C", 0, 10, TEXT, "MC", "Vie - Identifiant du certificat d'existence"),  # (e) 10, no GS
    ("8D", 14, 14, DIGITS, "", "Vie - Date d'émission du certificat"),  # (e) JJMMAAAAHHMMSS
    ("8G", 1, 1, CODE, "C", "SMR - Indicateur concubinage"),  # (e)
    ("8I", 8, 8, DATE, "", "SMR - Date de mise en concubinage"),  # (e)
    ("8J", 1, 1, CODE, "C", "Contact - Indicateur de dématérialisation"),  # (e)
    ("90", 0, 38, TEXT, "MES", "Identité de l'huissier de justice"),
    ("91", 0, 38, TEXT, "MES", "Identité ou raison sociale du demandeur"),
    ("92", 0, 38, TEXT, "MES", "Identité ou raison sociale du destinataire"),
    ("93", 0, 38, TEXT, "MES", "Identité ou raison sociale de tiers concerné"),
    ("94", 0, 38, TEXT, "MCE", "Intitulé de l'acte"),
    ("95", 0, 18, TEXT, "MC", "Numéro de l'acte"),
    ("96", 8, 8, DATE, "", "Date de signature de l'acte"),
    ("A0", 2, 2, TEXT, "M", "Pays ayant émis l'immatriculation du véhicule"),
    ("A1", 0, 17, TEXT, "MCET", "Immatriculation du véhicule"),
    ("A2", 0, 17, TEXT, "MCE", "Marque du véhicule"),
    ("A3", 0, 17, TEXT, "MCE", "Nom commercial du véhicule"),
    ("A4", 17, 17, TEXT, "MCE", "Numéro de série du véhicule (VIN)"),
    ("A5", 3, 3, TEXT, "MCE", "Catégorie du véhicule"),
    ("A6", 2, 2, TEXT, "MC", "Carburant"),
    ("A7", 3, 3, TEXT, "X", "Taux d'émission de CO2 du véhicule (en g/km)"),
    ("A8", 0, 12, TEXT, "MCES", "Indication de la classe environnementale de réception CE"),
    ("A9", 3, 3, CODE, "MC", "Classe d'émission polluante"),
    ("AA", 8, 8, DATE, "", "Date de première immatriculation du véhicule"),
    ("AB", 0, 8, TEXT, "MC", "Type de lettre"),
    ("AC", 0, 19, TEXT, "MC", "N° Dossier"),
    ("AD", 4, 4, HEX_DATE, "", "Date Infraction"),
    ("AE", 4, 4, TIME, "", "Heure de l'infraction"),
    ("AF", 1, 1, TEXT, "MC", "Nombre de points retirés lors de l'infraction"),
    ("AG", 1, 1, TEXT, "MC", "Solde de points"),
    ("AH", 0, 30, TEXT, "MC", "Numéro de la carte"),
    ("AI", 8, 8, DATE, "", "Date d'expiration initiale"),
    ("AJ", 13, 13, TEXT, "MC", "Numéro EVTC"),
    ("AK", 7, 7, DIGITS, "", "Numéro de macaron"),
    ("AL", 11, 11, TEXT, "MC", "Numéro de la carte"),
    ("AM", 0, 5, TEXT, "MCE", "Motif de sur-classement"),
    ("AN", 8, 8, DIGITS, "", "Kilométrage"),
    ("AO", 6, 6, DIGITS, "", "Numéro d'identification"),
    ("AP", 0, 60, TEXT, "ME", "Type d'engin"),
    ("AQ", 0, 25, TEXT, "MC", "Numéro de série"),
    ("AR", 0, 35, TEXT, "MCE", "Modèle"),
    ("AS", 0, 10, TEXT, "ME", "Couleur dominante"),
    ("AT", 1, 1, CODE, "C", "Type de propriétaire"),
    ("AU", 0, 38, TEXT, "MCE", "Ligne 2 de l'adresse postale du propriétaire"),
    ("AV", 0, 38, TEXT, "MCE", "Ligne 3 de l'adresse postale du propriétaire"),
    ("AW", 0, 38, TEXT, "MCE", "Ligne 4 de l'adresse postale du propriétaire"),
    ("AX", 0, 38, TEXT, "MC", "Ligne 5 de l'adresse postale du propriétaire"),
    ("AY", 5, 5, TEXT, "CE", "Code postal ou code cedex de l'adresse postale du propriétaire"),
    ("AZ", 0, 32, TEXT, "ME", "Commune de l'adresse postale du propriétaire"),
    ("B0", 0, 60, TEXT, "MES", "Liste des prénoms"),
    ("B1", 0, 20, TEXT, "ME", "Prénom"),
    ("B2", 0, 38, TEXT, "ME", "Nom patronymique"),
    ("B3", 0, 38, TEXT, "ME", "Nom d'usage"),
    ("B4", 0, 38, TEXT, "ME", "Nom d'épouse/époux"),
    ("B5", 0, 2, TEXT, "M", "Nationalité"),
    ("B6", 1, 1, CODE, "MC", "Genre"),
    ("B7", 8, 8, DATE, "", "Date de naissance"),
    ("B8", 0, 32, TEXT, "MCE", "Lieu de naissance"),
    ("B9", 2, 2, TEXT, "M", "Pays de naissance"),
    ("BA", 1, 1, CODE, "C", "Mention obtenue"),
    ("BB", 0, 50, TEXT, "MCE", "Numéro ou code d'identification de l'étudiant"),
    ("BC", 0, 20, TEXT, "MCE", "Numéro du diplôme"),
    ("BD", 1, 1, CODE, "C", "Niveau du diplôme selon la classification CEC"),
    ("BE", 3, 3, DIGITS, "", "Crédits ECTS obtenus"),
    ("BF", 3, 3, TEXT, "X", "Année universitaire"),
    ("BG", 2, 2, CODE, "MC", "Type de diplôme"),
    ("BH", 0, 30, TEXT, "MCE", "Domaine"),
    ("BI", 0, 30, TEXT, "MCE", "Mention"),
    ("BJ", 0, 30, TEXT, "MCE", "Spécialité"),
    ("BK", 0, 30, TEXT, "MCT", "Numéro de l'Attestation de versement de la CVE"),
    ("C0", 1, 1, CODE, "MC", "Genre du vendeur"),
    ("C1", 0, 38, TEXT, "ME", "Nom patronymique du vendeur"),
    ("C2", 0, 20, TEXT, "ME", "Prénom du vendeur"),
    ("C3", 12, 12, DATETIME, "", "Date et heure de la cession"),
    ("C4", 8, 8, DATE, "", "Date de la signature du vendeur"),
    ("C5", 1, 1, CODE, "MC", "Genre de l'acheteur"),
    ("C6", 0, 38, TEXT, "ME", "Nom patronymique de l'acheteur"),
    ("C7", 0, 20, TEXT, "ME", "Prénom de l'acheteur"),
    ("C8", 0, 38, TEXT, "MCE", "Ligne 4 de la norme adresse postale du domicile de l'acheteur"),
    ("C9", 5, 5, TEXT, "CE", "Code postal ou code cedex du domicile de l'acheteur"),
    ("CA", 0, 45, TEXT, "ME", "Commune du domicile de l'acheteur"),
    ("CB", 10, 10, DIGITS, "", "N° d'enregistrement"),
    ("CC", 12, 12, DATETIME, "", "Date et heure d'enregistrement dans le SIV"),
    ("D0", 17, 17, TEXT, "MCT", "Référence RTC"),
    ("D1", 0, 50, TEXT, "MTPEA", "Nom du titulaire"),
    ("D2", 0, 20, TEXT, "MC", "EORI"),
    ("D3", 8, 8, DATE_YMD, "", "Date de début de validité"),
    ("D4", 8, 8, DATE_YMD, "", "Date de fin de validité"),
    ("D5", 8, 10, TEXT, "MC", "Code marchandise"),
    ("D6", 8, 8, DIGITS, "", "Numéro de décision"),
    ("D7", 8, 8, DATE, "", "Date de décision"),
    ("D8", 2, 2, DIGITS, "", "Durée de validité"),
    ("D9", 8, 8, DATE, "", "Date de fin de validité de la licence"),
    ("DA", 8, 8, DIGITS, "", "Numéro de licence"),
    ("DB", 0, 50, TEXT, "ME", "Nom de l'expéditeur"),
    ("DC", 0, 50, TEXT, "ME", "Prénom de l'expéditeur"),
    ("DD", 8, 8, DATE, "", "Date de naissance de l'expéditeur"),
    ("DE", 0, 50, TEXT, "MCE", "Raison sociale de l'expéditeur"),
    ("DF", 9, 9, DIGITS, "", "SIREN de l'expéditeur"),
    ("DG", 14, 14, DIGITS, "", "SIRET de l'expéditeur"),
    ("DH", 0, 20, TEXT, "MC", "EORI de l'expéditeur"),
    ("DI", 4, 30, TEXT, "MC", "TIN de l'expéditeur"),
    ("DJ", 0, 50, TEXT, "ME", "Nom de l'exportateur"),
    ("DK", 0, 50, TEXT, "ME", "Prénom de l'exportateur"),
    ("DL", 8, 8, DATE, "", "Date de naissance de l'exportateur"),
    ("DM", 0, 50, TEXT, "MCE", "Raison sociale de l'exportateur"),
    ("DN", 9, 9, DIGITS, "", "SIREN de l'exportateur"),
    ("DO", 14, 14, DIGITS, "", "SIRET de l'exportateur"),
    ("DP", 0, 20, TEXT, "MC", "EORI de l'exportateur"),
    ("DQ", 0, 50, TEXT, "ME", "Nom du destinataire"),
    ("DR", 0, 50, TEXT, "ME", "Prénom du destinataire"),
    ("DS", 8, 8, DATE, "", "Date de naissance du destinataire"),
    ("DT", 0, 50, TEXT, "MCE", "Raison sociale du destinataire"),
    ("DU", 9, 9, DIGITS, "", "SIREN du destinataire"),
    ("DV", 14, 14, DIGITS, "", "SIRET du destinataire"),
    ("DW", 0, 20, TEXT, "MC", "EORI du destinataire"),
    ("DX", 4, 30, TEXT, "MC", "TIN du destinataire"),
    ("DY", 3, 3, DIGITS, "", "Nombre de lignes articles"),
    # The delivery note (types C7 and C8). Checked against the layout of the published
    # C8 example (section 9): fixed fields run into the next identifier without GS, the
    # others end with GS; the maxima of the variable ones come from the 3.x table of
    # section 7 as publicly transcribed. H0 and H2 (C7 only) are in no example: unruled.
    ("DZ", 0, 10, TEXT, "MC", "Numéro du bon de livraison"),  # (e) 10 characters, no GS
    # Section 8.11 calls H1 « Raison sociale du destinataire »; the example carries the
    # sender's country code there (2 letters, no GS), as section 7 defines it.
    ("H1", 2, 2, CODE, "M", "Pays de l'expéditeur"),  # (e)
    ("H3", 2, 2, CODE, "M", "Pays du destinataire"),  # (e)
    ("H4", 8, 8, DATE, "", "Date de départ"),  # (e)
    ("H5", 8, 8, DATE, "", "Date prévisionnelle d'arrivée"),  # (e)
    ("H6", 0, 40, DIGITS, "", "Numéro de plomb"),  # (e) ends with GS
    ("H7", 0, 53, TEXT, "CS", "Codes douaniers"),  # (e) ends with GS
    ("H8", 7, 7, DIGITS, "", "Nombre d'emballages articles"),  # (e)
    ("H9", 8, 8, DIGITS, "", "Poids brut articles"),  # (e)
    ("HA", 8, 8, DIGITS, "", "Poids net articles"),  # (e)
    ("HB", 9, 9, DIGITS, "", "Valeur douanière articles"),  # (e)
    ("HC", 0, 38, TEXT, "ME", "But de la livraison"),  # (e) ends with GS
    ("HD", 0, 38, TEXT, "MCE", "Adresse de l'expéditeur"),  # (e) ends with GS
    ("HE", 0, 38, TEXT, "MCE", "Code postal et commune de l'expéditeur"),  # (e)
    ("HF", 0, 38, TEXT, "MCE", "Adresse du destinataire"),  # (e) ends with GS
    ("HG", 0, 38, TEXT, "MCE", "Code postal et commune du destinataire"),  # (e)
    ("HH", 0, 20, TEXT, "MCTS", "Numéro d'identification du transport"),  # (e)
    # The European firearms pass (type 22): the fields its published example shows
    # running into the next identifier without GS (HJ at 5, HP at 12 characters).
    ("HJ", 0, 5, DIGITS, "", "Code postal de l'adresse de résidence"),  # (e)
    ("HL", 2, 2, CODE, "M", "Code pays de l'adresse de résidence"),  # (e)
    ("HN", 12, 12, DATETIME, "", "Date et heure d'édition"),  # (e)
    ("HO", 8, 8, DATE, "", "Date d'expiration"),  # (e)
    ("HP", 0, 12, TEXT, "MC", "Numéro SIA"),  # (e)
    ("HQ", 2, 2, DIGITS, "", "Nombre d'armes de catégorie A"),  # (e)
    ("HR", 2, 2, DIGITS, "", "Nombre d'armes de catégorie B"),  # (e)
    ("HS", 2, 2, DIGITS, "", "Nombre d'armes de catégorie C"),  # (e)
    # The driving-test certificate (type AD), same reading of its published example.
    ("E9", 0, 19, TEXT, "MCET", "N° Dossier"),  # (e) 19 characters, no GS
    ("EA", 1, 1, CODE, "M", "Nature de l'épreuve"),  # (e)
    ("EB", 0, 5, TEXT, "MC", "Matricule de l'inspecteur"),  # (e) 5, no GS
    ("EC", 8, 8, DATE, "", "Date de l'examen"),  # (e)
    # The rabies antibody titration (type B3): its postal code FE ends with GS there.
    ("FG", 2, 2, CODE, "M", "Pays du propriétaire de l'animal"),  # (e)
    ("FJ", 8, 8, DATE, "", "Date de naissance de l'animal"),  # (e)
    ("FL", 8, 8, DATE, "", "Date de l'analyse"),  # (e)
    ("FR", 8, 8, DATE, "", "Date de validation"),  # (e)
    # The airport security conformity certificate (type 26): every other field of its
    # published example ends with GS (its postal code J6 too).
    ("J0", 1, 1, CODE, "C", "Catégorie de certificat"),  # (e)
    ("J9", 2, 2, CODE, "M", "Pays"),  # (e)
    ("JA", 1, 1, CODE, "C", "Catégorie de l'équipement"),  # (e)
    # The nurse's caduceus (type C9).
    ("I0", 4, 4, DIGITS, "", "Année du caducée"),  # (e)
    ("I1", 7, 7, DIGITS, "", "Numéro ordinal"),  # (e)
    ("I2", 0, 16, TEXT, "ME", "Mention spécifique"),  # (e) 16 characters, no GS
    ("E0", 2, 2, CODE, "MC", "Type d'arrêtés Permis de conduire"),
    ("E1", 4, 4, HEX_DATE, "", "Date édition du document"),
    ("E2", 4, 4, HEX_DATE, "", "Date de fin de sanction"),
    ("E3", 4, 4, HEX_DATE, "", "Date de notification"),
    ("E4", 3, 3, CODE, "MC", "Type de relevé de permis de conduire"),
    ("E5", 2, 2, DIGITS, "", "Etat du permis de conduire du conducteur"),
    ("E6", 0, 65, CODE, "MC", "Catégories présentes de permis de conduire"),
    ("E7", 9, 9, DIGITS, "", "SIREN du demandeur du document"),
    ("E8", 12, 12, DATETIME, "", "Date des données issues du SNCP"),
    ("F0", 0, 60, TEXT, "MES", "Liste des prénoms"),
    ("F1", 0, 38, TEXT, "ME", "Nom patronymique"),
    ("F2", 8, 8, DATE, "", "Date de naissance"),
    ("F3", 1, 1, CODE, "MC", "Genre"),
    ("F4", 3, 7, CODE, "MC", "Code analyse"),
    ("F5", 1, 1, CODE, "MC", "Résultat de l'analyse"),
    ("F6", 12, 12, DATETIME, "", "Date et heure du prélèvement"),
    ("G0", 2, 2, CODE, "MC", "Type de procédure"),
    ("G1", 2, 2, CODE, "MC", "Orientation régionale"),
    ("G2", 0, 20, TEXT, "MC", "Numéro d'usager"),
    ("G3", 8, 8, DATE, "", "Date de fin des droits"),  # (e)
    ("G4", 0, None, AMOUNT, "", "Somme des montants versés au titre de l'ADA"),  # (e)
    ("G5", 0, None, TEXT, "MCE", "Information de la Direction Territoriale"),  # (e)
    ("L0", 0, 80, TEXT, "MCTPSE", "Nom Patronymique du patient"),
    ("L1", 0, 80, TEXT, "MESTP", "Liste des prénoms du patient"),
    ("L2", 8, 8, CODE, "MC", "Date de naissance du patient"),
    ("L3", 0, 30, TEXT, "MCTPSE", "Nom de la maladie couverte"),
    ("L4", 5, 15, TEXT, "MCTPSE", "Agent prophylactique"),
    ("L5", 5, 30, TEXT, "MCTPSE", "Nom du vaccin"),
    ("L6", 5, 30, TEXT, "MCTPSE", "Fabricant du vaccin"),
    ("L7", 1, 1, DIGITS, "", "Rang du dernier état de vaccination effectué"),
    ("L8", 1, 1, DIGITS, "", "Nombre de doses attendues pour un cycle complet"),
    ("L9", 8, 8, DATE, "", "Date du dernier état du cycle de vaccination"),
    ("LA", 2, 2, TEXT, "M", "Etat du cycle de vaccination"),
)

_WITHOUT_RULE: tuple[tuple[str, str], ...] = (
    ("0D", "UUID du document"),
    ("7P", "Identifiant du certificat"),
    ("87", "Assuré - Nom patronymique"),
    ("88", "Assuré - Identifiant"),
    ("89", "Assuré - Email"),
    ("8B", "Assuré - Identifiant enquête MCE"),
    ("8E", "SMR - Indicateur remarié"),
    ("8F", "SMR - Indicateur non remarié"),
    ("8H", "SMR - Indicateur PACS"),
    ("8K", "Contact - Email"),
    ("ED", "Catégorie de permis"),
    ("EE", "Codes spécifiques"),
    ("EF", "Visite médicale demandée"),
    ("FA", "Identification du laboratoire"),
    ("FB", "Numéro de dossier"),
    ("FC", "Nom du propriétaire de l'animal"),
    ("FD", "Prénom du propriétaire de l'animal"),
    ("FE", "Code postal du propriétaire de l'animal"),
    ("FF", "Ville du propriétaire de l'animal"),
    ("FH", "Espèce de l'animal"),
    ("FI", "Nom de l'animal"),
    ("FK", "Identification de l'animal"),
    ("FM", "Résultat de l'analyse"),
    ("FN", "Identification du valideur"),
    ("FO", "Qualité ou titre du valideur"),
    ("FP", "Nom du valideur"),
    ("FQ", "Prénom du valideur"),
    ("FS", "Contexte réglementaire"),
    ("FT", "Limite réglementaire du résultat"),
    ("H0", "Commune de l'expéditeur"),
    ("H2", "Commune du destinataire"),
    ("HI", "Numéro, extension et libellé de voie de l'adresse de résidence"),
    ("HK", "Commune de l'adresse de résidence"),
    ("HM", "Numéro de la CEAF"),
    ("I3", "Nom d'exercice"),
    ("I4", "Prénom d'exercice"),
    ("I5", "Mode d'exercice"),
    ("I6", "Numéro RPPS"),
    ("J1", "Numéro de chrono"),
    ("J2", "Référence CER"),
    ("J3", "Distributeur/Société"),
    ("J4", "Adresse"),
    ("J5", "Complément d'adresse"),
    ("J6", "Code postal"),
    ("J7", "Ville"),
    ("J8", "État"),
    ("JB", "Modèle de l'équipement/Nom"),
    ("JC", "Signataire"),
    ("JD", "Version matérielle"),
    ("JE", "Version logicielle d'exploitation"),
    ("JF", "Version logicielle d'exploitation stations"),
    ("JG", "Version logicielle d'exploitation recheck"),
    ("JH", "Version logicielle de détection"),
    ("JI", "Algorithme de détection"),
    ("JJ", "Dimensions du tunnel (L x l en cm)"),
    ("JK", "Vitesse(s) du convoyeur (en m/s)"),
    ("JL", "Nombre/type de générateurs"),
    ("JM", "Référence de(s) générateur(s)"),
    ("JN", "Tension de(s) générateur(s) (en kV)"),
    ("JO", "Intensité de(s) générateur(s) (en A)"),
    ("JP", "Système d'acquisition"),
    ("JQ", "Norme atteinte"),
    ("JR", "Référence(s) bannette(s)"),
    ("JS", "Référence(s) consommables"),
    ("JT", "Domaine d'emploi"),
    ("JU", "Dimensions de la surface active (en mm)"),
    ("JV", "Caractéristiques et références du système de détection et des composants techniques"),
    ("JW", "Dimensions de la zone de passage (en mm)"),
    ("JX", "Type d'utilisation"),
    ("JY", "Nombre de vues et vue principale"),
    ("JZ", "Version logicielle TIP"),
    ("K0", "Type d'alarme localisée"),
    ("K1", "Équipements concernés"),
    ("K2", "Versions logicielles concernées"),
    ("K3", "Référence de la bibliothèque"),
    ("K4", "Date de l'évaluation"),
    ("K5", "Type d'image"),
    ("K6", "Référence RESAN"),
    ("K7", "Immatriculation CDE"),
    ("K8", "Conducteur CDE"),
    ("K9", "Période de validité"),
    ("KA", "Conditions particulières"),
    ("KB", "Manuel d'utilisation de l'équipement"),
    ("KC", "Manuel d'utilisation TIP"),
    ("KD", "Manuel opérateur/CONOPS option LEDs"),
    ("KE", "Manuel opérateur/CONOPS"),
    ("KF", "Procédure de vérification du bon fonctionnement"),
    ("KG", "Outil(s) de vérification du bon fonctionnement"),
    ("KH", "Manuel technique multiplexage"),
    ("KI", "Instructions d'intégration"),
    ("KJ", "Instructions d'installation"),
    ("KK", "Instructions de maintenance"),
)


def _definitions() -> dict[str, FieldDefinition]:
    table = {
        id_: FieldDefinition(id_, label, low, high, kind, classes)
        for id_, low, high, kind, classes, label in _TABLE
    }
    for id_, label in _WITHOUT_RULE:
        table[id_] = FieldDefinition(id_, label, 0, None, TEXT, "U", rule_published=False)
    return table


FIELD_DEFINITIONS: Mapping[str, FieldDefinition] = _definitions()

DOCUMENT_TYPES: Mapping[str, str] = {
    "00": "Justificatif de domicile",
    "01": "Facture (énergie, téléphonie, accès internet, eau)",
    "02": "Avis de taxe d'habitation",
    "03": "Relevé d'identité bancaire",
    "04": "Avis d'impôt sur les revenus",
    "05": "Relevé d'identité SEPAmail",
    "06": "Bulletin de salaire",
    "07": "Titre d'identité",
    "08": "MRZ",
    "09": "Facture étendue",
    "10": "Contrat de travail",
    "11": "Relevé de compte",
    "12": "Acte d'huissier",
    "13": "Document étranger",
    "14": "Attestation DICEM",
    "15": "Attestation de décision favorable d'une demande d'autorisation de travail",
    "16": "Attestation de demande d'asile",
    "17": "Attestation de fin de droit à l'allocation pour demandeur d'asile (ADA)",
    "18": "Avis de situation déclarative à l'impôt sur les revenus",
    "19": "Déclaration de dons",
    "20": "Déclaration de cession de droits sociaux",
    "21": "Attestation 2041-ASK",
    "22": "Carte européenne d'arme à feu",
    "23": "Certificat de preuve de vie",
    "24": "Avis de situation déclarative à l'impôt sur les revenus (V2)",
    "25": "Autorisation de travail – AES métier en tension",
    "26": "Certificat de conformité sûreté aéroportuaire",
    "27": "Avis de situation déclarative à l'impôt sur les revenus (V3)",
    "28": "Avis d'impôt sur les revenus (V2)",
    "29": "Attestation d'activité professionnelle",
    "A0": "Certificat de qualité de l'air",
    "A1": "Courrier permis à points",
    "A2": "Carte mobilité inclusion",
    "A3": "Macaron VTC",
    "A4": "Certificat de décès",
    "A5": "Carte T3P",
    "A6": "Carte professionnelle de sapeur-pompier",
    "A7": "Certificat de qualité de l'air (V2)",
    "A8": "Certificat de cession électronique",
    "A9": "Permis de chasser",
    "AA": "Arrêté permis de conduire",
    "AB": "Relevé d'information permis de conduire",
    "AC": "Licence de conducteur de train",
    "AD": "Certificat de réussite à l'examen du permis de conduire (CEPC)",
    "AE": "Certificat de décès (V2)",
    "B0": "Diplôme",
    "B1": "Attestation de versement de la contribution à la vie étudiante (CVEC)",
    "B2": "Résultat de test virologique",
    "B3": "Titrage antirabique",
    "B4": "Traduction certifiée",
    "C1": "Renseignement tarifaire contraignant",
    "C2": "Accord préalable pour le transfert d'armes",
    "C3": "Permis de transfert d'armes à feu et de munitions",
    "C4": "Autorisation d'importation de matériels de guerre",
    "C5": "Licence d'exportation d'armes à feu",
    "C6": "Agrément de transfert d'armes à feu et de munitions",
    "C7": "Bon de livraison",
    "C8": "Bon de livraison (V2)",
    "C9": "Caducée infirmier",
    "L1": "Attestation vaccinale",
}

# Section 8: the fields of each document type; "?" marks a facultative field. Fields the
# specification makes interchangeable (10 or 11/12/13; 70 or 71; B0 or B1) or conditional
# (an employer is a company or a person…) are listed as facultative.
_EXPECTED = {
    "00": "10? 11? 12? 13? 1G? 1I? 1J? 1K? 1L? 20 21 22 23 24 25 26",
    "01": "10? 11? 12? 13? 14? 15? 16? 17? 18? 19? 1A? 1B? 1C? 1D? 1E? 1F? 1G? 1H? 1I? "
    "1J? 1K? 1L? 1M? 1N? 1O? 1P? 20? 21? 22 23? 24 25? 26 27? 28? 29? 2A? 2B? 2C? 2D?",
    "02": "10? 11? 12? 13? 1G? 1I? 1J? 1K? 1L? 22 23? 24 25 26",
    "03": "08? 30 31 32",
    "05": "08 30 35",
    "11": "08? 30 31 32 35? 36 37 38",
    "04": "41? 43 44 45 46 47 48? 49? 4A",
    "09": "10? 11? 12? 13? 22 24 26",
    "18": "41? 43 44 45 46 47? 48? 49? 4B",
    "19": "4C 4D 4E 4F 4G 4H 4I?",
    "20": "4C 4E 4F 4J 4K 4L 4M?",
    "21": "4N 4O 4P 4Q 4R 4S 4T? 4U? 55?",
    "24": "41? 43 44 45 46 47? 48? 49? 4B 4V 4W 4X",
    "27": "41? 43 44 45 46 47 48 49 4B 4V 4W? 4X? 4Y? 4Z? 6S? 6T? 6U? 6V? 6W? 6X? 6Y?",
    "28": "41? 43 44 45 46 47? 48? 49? 4A 4V? 4W? 4X? 4Y? 4Z? 6S? 6T? 6U? 6V? 6W? 6X? 6Y?",
    "06": "10? 11? 12? 13? 50 53 54 55 57? 58 59 5A? 5M? 5O? 5P? 5T? 5U?",
    "10": "50 53? 54? 55? 57 58? 59? 5A 5M? 5O? 5P? 5T? 5U? 61 62",
    "15": "50? 55 5M? 5N 5O? 5P? 5Q 5R 5S 5T 5U? 61 62 66? 67 69 6A 6L 6Z?",
    "25": "06 57 5A 5L 5M 5S 5T 5U 60 62 66 67 68 69 6A 6C 6Q",
    "07": "60 61? 62 63? 65 66 67 68 69? 6A? 6C 6F? 6N? 6O? 6S? 6T? 6U? 6V? 6W? 6X? 6Y?",
    "08": "6F",
    "13": "60 61? 62 63 66? 67 68 69 6A 6C 6J 6K 6L 6M? 6N? 6O? 6P 6Q 6R? 6S? 6T? 6U 6V? 6W 6X 6Y?",
    "A0": "A0 A1 A2 A3 A4 A5 A6 A7 A9 AA?",
    "A1": "AB AC 60 69 6A? 6G 6H",
    "A2": "AH AI",
    "A3": "A1 AJ AK",
    "A5": "AI AL",
    "A7": "A0 A1 A2 A3? A4 A5 A6 A7? A9 AA? AM",
    "A8": "A1 A4 AA AN C0? C1 C2 C3 C4 C5? C6 C7 C8 C9 CA CB CC",
    "14": "A2 AO AP AQ AR? AS AT AU? AV? AW AX? AY AZ 5L? 5M? 60 62 69? 6A?",
    "B0": "B6 B7 B9 B0? B1? BD BG BH BI BJ BB?",
    "B1": "B7 B0 B2 BB BK",
    "A4": "70? 71? 72 73 77 78 7C 7D 7E 7G 7K 7M",
    "AE": "70? 71? 72 73 77 78 7C 7D 7E 7G 7M 7P",
    "23": "87 60 88 69 89? 8A 8B 8C 8D 8E? 8F? 8G? 8H? 8I? 8J 8K?",
    "A6": "80 81 82 83 86?",
    "A9": "80 81 69 85 86?",
    "AC": "80 81 82 86 AI?",
    "12": "90 91? 92 93? 94 95? 96",
    "22": "0D 60 67 69 6A 6G HI HJ HK HL HM HN HO HP HQ HR HS",
    "C1": "D0 D1 D2 D3 D4 D5 D8",
    "C2": "D6 D7 D8 DB? DC? DD? DE? DH? DI? DQ? DR? DS? DT? DU? DV? DW? DY",
    "C3": "D6 D7 D8 DB? DC? DD? DE? DF? DG? DH? DQ? DR? DS? DT? DW? DX? DY",
    "C4": "D6 D7 D8 DB? DC? DD? DE? DH? DI? DQ? DR? DS? DT? DU? DV? DW? DY",
    "C5": "D7 D9 DA DJ? DK? DL? DM? DN? DO? DP? DQ? DR? DS? DT? DW? DX? DY",
    "C6": "D6 D7 D8 DE DF DG DH? DT DW? DX? DY",
    "C7": "DE DM DT DY DZ H0 H1 H2 H3 H4 H5 H6? H7 H8 H9 HA HB HC",
    "C8": "DE DI DM DT DX DY DZ H1 H3 H4 H5 H6? H7 H8 H9 HA HB HC HD HE HF HG HH",
    "B2": "F0 F1 F2 F3 F4 F5 F6",
    "B3": "FA FB FC FD? FE? FF? FG? FH FI FJ FK FL FM FN? FO? FP? FQ? FR FS FT",
    "L1": "L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 LA",
    "16": "60 62 67 69 6Q 6O G0 G1 G2",
    "17": "60 69 6G 6H 6Q G3 G4 G5",
    "AA": "09? 60 69 6A 6G 6H AC AD? AE? E0 E1 E2? E3?",
    "AB": "09 60 69 6A 6G 6H AC AG? E4 E5 E6? E7? E8",
    "AD": "60 62 69 D3 D4? E9 EA EB? EC ED EE? EF?",
    "C9": "I0 I1 I2? I3 I4 I5 I6",
    "26": "J0 J1 J2 J3 J4 J5? J6 J7 J8? J9 JA JB JC JD? JE? JF? JG? JH? JI? JJ? JK? JL? JM? "
    "JN? JO? JP? JQ? JR? JS? JT? JU? JV? JW? JX? JY? JZ? K0? K1? K2? K3? K4? K5? K6? K7? "
    "K8? K9? KA? KB? KC? KD? KE? KF? KG? KH? KI? KJ? KK?",
}


@dataclass(frozen=True, slots=True)
class ExpectedField:
    id: str
    required: bool

    @property
    def label(self) -> str:
        return FIELD_DEFINITIONS[self.id].label


EXPECTED_FIELDS: Mapping[str, tuple[ExpectedField, ...]] = {
    doc_type: tuple(
        ExpectedField(item.rstrip("?"), not item.endswith("?")) for item in spec.split()
    )
    for doc_type, spec in _EXPECTED.items()
}
