# pin-canon.py DIR: rewrite pinned outputs (scripts/pin.sh) in canonical form: lists sorted, timings zeroed
import json,sys,os,re
d=sys.argv[1]
TIMING={'ttfb_ms','total_ms','response_ms'}
def walk(x):
    if isinstance(x,dict):
        for k in list(x):
            if k in TIMING: x[k]=0
            elif isinstance(x[k],str): x[k]=__import__('re').sub(r'\d+(,\d+)? ms','N ms',x[k])
            else: walk(x[k])
        # response-time indicator value depends on timings
        if x.get('id') in ('temps-reponse','temps_de_reponse','response_time','delai'):
            x.clear(); x['id']='timing'
    elif isinstance(x,list):
        for v in x: walk(v)
        if x and all(isinstance(v,str) for v in x): x.sort()
        if x and all(isinstance(v,dict) for v in x):
            key=lambda v: json.dumps(v,sort_keys=True,ensure_ascii=False)
            x.sort(key=key)
for root,_,fs in os.walk(d):
    for f in fs:
        p=os.path.join(root,f)
        if f.endswith('.json'):
            try: j=json.load(open(p))
            except Exception: continue
            walk(j); json.dump(j,open(p,'w'),indent=1,sort_keys=True,ensure_ascii=False)
        elif f.endswith(('.csv','.html','.txt')):
            lines=open(p,encoding='utf-8',errors='replace').read().split('\n')
            lines=[re.sub(r'le \d{4}-\d\d-\d\d \d\d:\d\d UTC','le DATE UTC',re.sub(r'\d+(,\d+)? ms','N ms',l)) for l in lines]
            open(p,'w').write('\n'.join(sorted(lines)))
