"""Sweden's 21 counties (län) and their regions, by SCB county code."""

COUNTIES: dict[str, tuple[str, str]] = {
    # code: (county name, name of the region organisation)
    "01": ("Stockholms län", "Region Stockholm"),
    "03": ("Uppsala län", "Region Uppsala"),
    "04": ("Södermanlands län", "Region Sörmland"),
    "05": ("Östergötlands län", "Region Östergötland"),
    "06": ("Jönköpings län", "Region Jönköpings län"),
    "07": ("Kronobergs län", "Region Kronoberg"),
    "08": ("Kalmar län", "Region Kalmar län"),
    "09": ("Gotlands län", "Region Gotland"),
    "10": ("Blekinge län", "Region Blekinge"),
    "12": ("Skåne län", "Region Skåne"),
    "13": ("Hallands län", "Region Halland"),
    "14": ("Västra Götalands län", "Västra Götalandsregionen"),
    "17": ("Värmlands län", "Region Värmland"),
    "18": ("Örebro län", "Region Örebro län"),
    "19": ("Västmanlands län", "Region Västmanland"),
    "20": ("Dalarnas län", "Region Dalarna"),
    "21": ("Gävleborgs län", "Region Gävleborg"),
    "22": ("Västernorrlands län", "Region Västernorrland"),
    "23": ("Jämtlands län", "Region Jämtland Härjedalen"),
    "24": ("Västerbottens län", "Region Västerbotten"),
    "25": ("Norrbottens län", "Region Norrbotten"),
}


def county_name(code: str) -> str:
    return COUNTIES[code][0] if code in COUNTIES else ""
