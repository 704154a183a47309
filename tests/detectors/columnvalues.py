"""Column values written by hand for the column-verdict tests (none drawn from a list the detectors load).

user_agents()      200 agent strings of the shapes browsers, apps, bots and HTTP clients send, with
                   their real version numbers (`Chrome/120.0.6099.109`, `rv:109.0`, `FBAV/444.0.0.35.112`)
descriptions(n)    product descriptions: colours, materials, kinds of goods and features, no names
luhn_ids(n)        16-digit numbers with a valid Luhn digit and a card-like first digit, as ids can be
"""

import random

from stdnum import luhn

CHROME = [
    "120.0.6099.109",
    "120.0.6099.71",
    "119.0.6045.199",
    "119.0.6045.163",
    "118.0.5993.117",
    "117.0.5938.149",
    "116.0.5845.187",
    "114.0.5735.198",
    "109.0.5414.120",
    "103.0.5060.134",
]
FIREFOX = ["121.0", "120.0.1", "119.0", "115.0", "102.0", "91.0"]
SAFARI = [
    ("17.1.2", "605.1.15"),
    ("17.0", "605.1.15"),
    ("16.6", "605.1.15"),
    ("15.6.1", "605.1.15"),
    ("14.1.2", "605.1.15"),
]
EDGE = ["120.0.2210.77", "119.0.2151.97", "118.0.2088.76"]
WINDOWS = [
    "Windows NT 10.0; Win64; x64",
    "Windows NT 6.1; Win64; x64",
    "Windows NT 10.0; WOW64",
    "Windows NT 6.3; Win64; x64",
]
MACS = ["10_15_7", "10_14_6", "13_6_1", "14_1_2"]
LINUX = ["X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64", "X11; CrOS x86_64 14541.0.0"]
ANDROID = [
    ("14", "SM-S918B"),
    ("13", "Pixel 7"),
    ("12", "SM-A525F"),
    ("10", "K"),
    ("11", "moto g(30)"),
    ("13", "2201116SG"),
    ("9", "SM-J730F"),
    ("10", "HRY-LX1"),
    ("12", "CPH2211"),
    ("8.1.0", "Nokia 2.1"),
]
IOS = ["17_1_2", "17_0_3", "16_6_1", "16_1_1", "15_7_9"]
OTHERS = [
    "curl/8.4.0",
    "curl/7.81.0",
    "curl/7.68.0",
    "Wget/1.21.2",
    "Wget/1.20.3 (linux-gnu)",
    "python-requests/2.31.0",
    "python-requests/2.28.1",
    "python-urllib3/1.26.18",
    "Python-urllib/3.11",
    "okhttp/4.12.0",
    "okhttp/3.14.9",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "Java/1.8.0_392",
    "Java/17.0.9",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "axios/1.6.2",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "PostmanRuntime/7.36.0",
    "insomnia/2023.5.8",
    "aiohttp/3.9.1 Python/3.11",
    "libwww-perl/6.72",
    "GuzzleHttp/7",
    "Ruby",
    "Faraday v2.7.11",
    "Dart/3.2 (dart:io)",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-G991B Build/TP1A.220624.014)",
    "Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8 Pro MIUI/V12.0.3.0.QGGMIXM)",
    "Dalvik/2.1.0 (Linux; U; Android 11; Pixel 4a Build/RQ3A.211001.001)",
    "MyApp/3.4.1 (iPhone; iOS 17.1.2; Scale/3.00)",
    "Spotify/8.8.84 iOS/17.1.2 (iPhone15,2)",
    "WhatsApp/2.23.24.76 A",
    "okhttp/4.9.2 Instagram 312.1.0.34.111 Android",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.109 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; DuckDuckBot-Https/1.1; https://duckduckgo.com/duckduckbot)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729)",
    "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2.2 Chrome/63.0.3239.84 TV Safari/537.36",
    "Roku/DVP-12.0 (12.0.0.4182-88)",
    "AppleCoreMedia/1.0.0.21B101 (iPhone; U; CPU OS 17_1_2 like Mac OS X; en_us)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
    "Microsoft-CryptoAPI/10.0",
    "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.71",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/105.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 YaBrowser/23.11.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Vivaldi/6.5.3206.42",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Brave Chrome/120.0.6099.109 Safari/537.36",
    "Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18",
    "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0 Thunderbird/115.5.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Electron/27.1.3 Chrome/118.0.5993.159 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Code/1.85.1 Chrome/114.0.5735.289 Electron/25.9.7 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.35.131 Chrome/118.0.5993.159 Electron/27.1.2 Safari/537.36 Sonic Slack_SSB/4.35.131",
    "Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/14.0.1.311 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; U; Android 11; en-US; RMX2185 Build/RP1A.201005.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/13.4.0.1306 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/119.3.1 like Chrome/119.0.6045.193 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox Series X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
    "Mozilla/5.0 (Linux; Android 13; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36 OPR/79.2.4195.76862",
    "Mozilla/5.0 (X11; Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Raspbian Chromium/78.0.3904.108 Chrome/78.0.3904.108 Safari/537.36",
]


def user_agents() -> list[str]:
    out = []
    for i, v in enumerate(CHROME):
        out.append(f"Mozilla/5.0 ({WINDOWS[i % 4]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36")
        out.append(
            f"Mozilla/5.0 (Macintosh; Intel Mac OS X {MACS[i % 4]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36"
        )
        out.append(f"Mozilla/5.0 ({LINUX[i % 4]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36")
        a, dev = ANDROID[i]
        out.append(
            f"Mozilla/5.0 (Linux; Android {a}; {dev}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Mobile Safari/537.36"
        )
        out.append(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {IOS[i % 5]} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/{v} Mobile/15E148 Safari/604.1"
        )
        out.append(
            f"Mozilla/5.0 (Linux; Android {a}; {dev}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/{v} Mobile Safari/537.36"
        )
        out.append(
            f"Mozilla/5.0 (Linux; Android {a}; {dev} Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/{v} Mobile Safari/537.36"
        )
    for i, v in enumerate(FIREFOX):
        out.append(f"Mozilla/5.0 ({WINDOWS[i % 4]}; rv:{v}) Gecko/20100101 Firefox/{v}")
        out.append(
            f"Mozilla/5.0 (Macintosh; Intel Mac OS X {MACS[i % 4].replace('_', '.')}; rv:109.0) Gecko/20100101 Firefox/{v}"
        )
        out.append(f"Mozilla/5.0 ({LINUX[i % 3]}; rv:109.0) Gecko/20100101 Firefox/{v}")
        out.append(f"Mozilla/5.0 (Android {ANDROID[i][0]}; Mobile; rv:{v}) Gecko/{v} Firefox/{v}")
        out.append(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {IOS[i % 5]} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/{v} Mobile/15E148 Safari/605.1.15"
        )
    for i, (v, wk) in enumerate(SAFARI):
        out.append(
            f"Mozilla/5.0 (Macintosh; Intel Mac OS X {MACS[i % 4]}) AppleWebKit/{wk} (KHTML, like Gecko) Version/{v} Safari/{wk}"
        )
        out.append(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {IOS[i]} like Mac OS X) AppleWebKit/{wk} (KHTML, like Gecko) Version/{v} Mobile/15E148 Safari/604.1"
        )
        out.append(
            f"Mozilla/5.0 (iPad; CPU OS {IOS[i]} like Mac OS X) AppleWebKit/{wk} (KHTML, like Gecko) Version/{v} Mobile/15E148 Safari/604.1"
        )
        out.append(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {IOS[i]} like Mac OS X) AppleWebKit/{wk} (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/444.0.0.35.112;FBBV/541229036;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/{v};FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]"
        )
    for i, v in enumerate(EDGE):
        out.append(
            f"Mozilla/5.0 ({WINDOWS[i]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROME[i]} Safari/537.36 Edg/{v}"
        )
        out.append(
            f"Mozilla/5.0 (Macintosh; Intel Mac OS X {MACS[i]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROME[i]} Safari/537.36 Edg/{v}"
        )
        out.append(
            f"Mozilla/5.0 (Linux; Android {ANDROID[i][0]}; {ANDROID[i][1]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{CHROME[i]} Mobile Safari/537.36 EdgA/{v}"
        )
    out += OTHERS
    return list(dict.fromkeys(out))


KINDS = [
    "backpack",
    "desk lamp",
    "water bottle",
    "yoga mat",
    "coffee grinder",
    "phone case",
    "rain jacket",
    "cutting board",
    "throw blanket",
    "bike light",
    "travel mug",
    "camping stove",
    "wall clock",
    "plant pot",
    "wireless mouse",
    "keyboard tray",
    "shoe rack",
    "laundry basket",
    "bath towel",
    "spice rack",
    "picture frame",
    "table runner",
    "garden hose",
    "tool box",
    "dog leash",
    "cat tree",
    "baby monitor",
    "USB-C hub",
    "HDMI cable",
    "bluetooth speaker",
]
MATERIALS = [
    "bamboo",
    "stainless steel",
    "recycled polyester",
    "oak",
    "ceramic",
    "silicone",
    "cotton canvas",
    "aluminium",
    "walnut",
    "borosilicate glass",
    "nylon",
    "merino wool",
    "cast iron",
    "linen",
]
COLOURS = ["charcoal", "sage green", "navy", "sand", "off-white", "terracotta", "slate blue", "black", "mustard"]
FEATURES = [
    "dishwasher safe",
    "fits 15-inch laptops",
    "holds 750 ml",
    "folds flat for storage",
    "machine washable at 40 C",
    "with a lifetime warranty",
    "BPA free",
    "USB rechargeable, 6 h runtime",
    "non-slip base",
    "water resistant to IPX4",
    "assembly takes 10 minutes",
    "includes two spare filters",
    "pack of 3",
    "ships in plastic-free packaging",
    "1.8 m long",
    "adjustable from 60 to 90 cm",
]


def descriptions(n: int = 500, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        text = (
            f"{rng.choice(COLOURS).capitalize()} {rng.choice(MATERIALS)} {rng.choice(KINDS)}, "
            f"{rng.choice(FEATURES)}; {rng.choice(FEATURES)}."
        )
        out.append(text)
    return out


def luhn_ids(n: int = 200, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    out = ["4093609377352800"]
    while len(out) < n:
        body = rng.choice("23456") + "".join(rng.choice("0123456789") for _ in range(14))
        out.append(body + luhn.calc_check_digit(body))
    return out
